package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake engine held to the contract that the Docker adapter meets, plus its own test controls. */
class FakeContainerEngineTest extends ContainerEngineContract {

    private static final String IMAGE = "gantry-test/busybox:1";

    private final FakeContainerEngine fake = new FakeContainerEngine().withImage(IMAGE);

    @Override
    protected ContainerEngine engine() {
        return fake;
    }

    @Override
    protected ImageRef image() {
        return ImageRef.parse(IMAGE);
    }

    @Override
    protected ImageRef missingImage() {
        return ImageRef.parse("gantry-test/missing:1");
    }

    @Override
    protected List<String> idleCommand() {
        return List.of("sleep", "infinity");
    }

    @Override
    protected void exitProcess(ContainerId id, int exitCode) {
        fake.exit(id, exitCode);
    }

    @Override
    protected void print(ContainerId id, String stdoutLine, String stderrLine) {
        fake.print(id, LogSink.Stream.STDOUT, stdoutLine + "\n");
        fake.print(id, LogSink.Stream.STDERR, stderrLine + "\n");
    }

    @Override
    protected ContainerId createUnmanaged(ContainerName name, Map<String, String> labels) {
        return fake.addUnmanaged(ContainerSpec.builder(image()).name(name).cmd(idleCommand()).buildAsReported(),
                labels);
    }

    @Test
    void goDownAndComeBack_tellListenersAndFailCalls() {
        List<String> seen = new ArrayList<>();
        fake.subscribe(new EngineListener() {
            @Override
            public void onEvent(ContainerEvent event) {
                seen.add("event");
            }

            @Override
            public void onUnavailable(String reason) {
                seen.add("unavailable");
            }

            @Override
            public void onResync() {
                seen.add("resync");
            }
        });

        fake.goDown();
        boolean failed = false;
        try {
            fake.list();
        } catch (EngineUnavailableException expected) {
            failed = true;
        }
        fake.comeBack();

        assertThat(failed).isTrue();
        assertThat(seen).containsExactly("unavailable", "resync");
        assertThat(fake.list()).isEmpty();
    }

    @Test
    void failNext_failsOnlyTheNextCallOfThatOperation() {
        ContainerId id = fake.create(ContainerSpec.builder(image()).name(name("fail")).build(), Map.of());
        fake.failNext(FakeContainerEngine.Op.START, new EngineFailureException("boom", null));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fake.start(id)).hasMessage("boom");
        fake.start(id);

        assertThat(fake.inspect(id).orElseThrow().status()).isEqualTo(ContainerStatus.RUNNING);
        assertThat(fake.operations()).containsExactly("create " + fake.inspect(id).orElseThrow().name(),
                "start " + fake.inspect(id).orElseThrow().name());
    }
}
