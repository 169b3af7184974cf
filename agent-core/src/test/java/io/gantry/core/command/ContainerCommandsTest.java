package io.gantry.core.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.ByteSize;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.container.StopOptions;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerCommandsTest {

    private static final String IMAGE = "docker.io/library/influxdb:1.8.4";

    private final FakeContainerEngine engine = new FakeContainerEngine().withImage(IMAGE);
    private final ContainerCommands underTest = new ContainerCommands(engine);

    private ContainerId container(ContainerStatus status) {
        ContainerId id = engine.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).build(), Map.of());
        switch (status) {
            case CREATED -> { }
            case RUNNING -> engine.start(id);
            case PAUSED -> {
                engine.start(id);
                engine.pause(id);
            }
            case EXITED -> {
                engine.start(id);
                engine.stop(id, StopOptions.DEFAULT);
            }
            default -> throw new IllegalArgumentException(status.name());
        }
        return id;
    }

    private ContainerStatus status(ContainerId id) {
        return engine.inspect(id).map(Container::status).orElseThrow();
    }

    /** Each refused command with Kanto's text (kanto-things §3.2); "X" stands for the container id. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("start running", ContainerStatus.RUNNING, (c, id) -> c.start(id),
                        "the container with id = X is already running"),
                refusal("start paused", ContainerStatus.PAUSED, (c, id) -> c.start(id),
                        "the container with id = X is paused - cannot start it - try unpausing it instead"),
                refusal("stop created", ContainerStatus.CREATED, (c, id) -> c.stop(id),
                        "cannot perform stop operation for container: X, with state: Created"),
                refusal("stop exited", ContainerStatus.EXITED, (c, id) -> c.stop(id),
                        "cannot perform stop operation for container: X, with state: Exited"),
                refusal("stopWithOptions negative timeout", ContainerStatus.RUNNING,
                        (c, id) -> c.stop(id, -1, "", false), "the timeout = -1 shouldn't be negative"),
                refusal("stopWithOptions bad signal", ContainerStatus.RUNNING,
                        (c, id) -> c.stop(id, 0, "FOO", false), "invalid signal = FOO"),
                refusal("pause created", ContainerStatus.CREATED, (c, id) -> c.pause(id),
                        "container with id = X is not running - current status is Created"),
                refusal("resume running", ContainerStatus.RUNNING, (c, id) -> c.resume(id),
                        "container id = X is not paused - cannot unpause it "),
                refusal("rename bad name", ContainerStatus.CREATED, (c, id) -> c.rename(id, "bad name!"),
                        "invalid container name format : bad name!"),
                refusal("remove running", ContainerStatus.RUNNING, (c, id) -> c.remove(id, false),
                        "container with id = X is not stopped - must set the force flag to true to remove it"));
    }

    private static Arguments refusal(String name, ContainerStatus status, BiConsumer<ContainerCommands, ContainerId> op,
                                     String message) {
        return Arguments.of(name, status, op, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void command_refusedInThisState_failsWithKantosMessage_andChangesNothing(
            String name, ContainerStatus status, BiConsumer<ContainerCommands, ContainerId> op, String message) {
        ContainerId id = container(status);
        int operations = engine.operations().size();

        assertThatThrownBy(() -> op.accept(underTest, id)).isInstanceOf(CommandFailedException.class)
                .hasMessage(message.replace("X", id.value()));
        assertThat(engine.operations()).hasSize(operations);
    }

    static Stream<Arguments> vanished() {
        return Stream.<BiConsumer<ContainerCommands, ContainerId>>of(
                (c, id) -> c.start(id), (c, id) -> c.stop(id), (c, id) -> c.pause(id), (c, id) -> c.resume(id),
                (c, id) -> c.rename(id, "x"), (c, id) -> c.remove(id, true),
                (c, id) -> c.update(id, Optional.of(RestartPolicy.NO), Optional.empty())).map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("vanished")
    void command_onVanishedContainer_failsWithNoSuchContainer(BiConsumer<ContainerCommands, ContainerId> op) {
        ContainerId gone = ContainerId.of("deadbeef");

        assertThatThrownBy(() -> op.accept(underTest, gone)).isInstanceOf(CommandFailedException.class)
                .hasMessage("no such container with id = deadbeef exists");
    }

    @Test
    void lifecycle_startStopPauseResumeRenameRemove_changesTheEngine() {
        ContainerId id = container(ContainerStatus.CREATED);

        underTest.start(id);
        assertThat(status(id)).isEqualTo(ContainerStatus.RUNNING);
        underTest.pause(id);
        assertThat(status(id)).isEqualTo(ContainerStatus.PAUSED);
        underTest.resume(id);
        assertThat(status(id)).isEqualTo(ContainerStatus.RUNNING);
        underTest.stop(id, 5, "SIGINT", true);
        assertThat(status(id)).isEqualTo(ContainerStatus.EXITED);
        underTest.rename(id, "new_ctr_name");
        assertThat(engine.inspect(id).orElseThrow().name().value()).isEqualTo("new_ctr_name");
        underTest.remove(id, false);
        assertThat(engine.inspect(id)).isEmpty();
    }

    @Test
    void rename_toTheSameOrAnEmptyName_isANoOp() {
        ContainerId id = engine.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("web"))
                .build(), Map.of());
        int operations = engine.operations().size();

        underTest.rename(id, "web");
        underTest.rename(id, "");

        assertThat(engine.operations()).hasSize(operations);
    }

    @Test
    void removeRunning_withForce_removes() {
        ContainerId id = container(ContainerStatus.RUNNING);

        underTest.remove(id, true);

        assertThat(engine.inspect(id)).isEmpty();
    }

    @Test
    void update_replacesMemoryLimits_andKeepsCpus() {
        ContainerId id = engine.create(ContainerSpec.builder(ImageRef.parse(IMAGE))
                .resources(Resources.NONE.withCpus(Optional.of(BigDecimal.ONE))).build(), Map.of());

        underTest.update(id, Optional.of(RestartPolicy.ALWAYS),
                Optional.of(Resources.memory(ByteSize.ofMebibytes(200))));

        ContainerSpec spec = engine.inspect(id).orElseThrow().spec();
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(spec.resources().memory()).contains(ByteSize.ofMebibytes(200));
        assertThat(spec.resources().cpus()).contains(BigDecimal.ONE);
    }

    @Test
    void create_pullsAMissingImage_andStarts() {
        engine.withRegistryImage("docker.io/library/httpd:latest");

        ContainerId id = underTest.create(ContainerSpec.builder(ImageRef.parse("httpd")).buildAsReported(), true);

        assertThat(engine.operations()).contains("pull httpd");
        assertThat(status(id)).isEqualTo(ContainerStatus.RUNNING);
    }

    @Test
    void create_withStartThatFails_returnsTheIdAndOnlyLogs() {
        engine.failNext(FakeContainerEngine.Op.START, new ContainerConflictException("port is already allocated", null));

        ContainerId id = underTest.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).buildAsReported(), true);

        assertThat(status(id)).isEqualTo(ContainerStatus.CREATED);
    }

    @Test
    void create_pullFails_propagatesThePullError() {
        assertThatThrownBy(() -> underTest.create(ContainerSpec.builder(ImageRef.parse("nope/nope:1"))
                .buildAsReported(), false)).isInstanceOf(ImagePullException.class);
    }

    @Test
    void create_invalidSpec_failsWithKantosValidationMessage() {
        ContainerSpec hostWithPorts = ContainerSpec.builder(ImageRef.parse(IMAGE))
                .network(io.gantry.core.container.NetworkMode.HOST)
                .addPort(io.gantry.core.container.PortMapping.of(80, 80)).buildAsReported();

        assertThatThrownBy(() -> underTest.create(hostWithPorts, false)).isInstanceOf(CommandFailedException.class)
                .hasMessage("cannot use port mappings when in host network mode");
    }

    @Test
    void imageRef_emptyOrMissing_isKantosImageRefMustBeSet() {
        assertThatThrownBy(() -> ContainerCommands.imageRef("")).hasMessage("imageRef must be set");
        assertThatThrownBy(() -> ContainerCommands.imageRef(null)).hasMessage("imageRef must be set");
        assertThatThrownBy(() -> ContainerCommands.imageRef("UPPER/Case")).isInstanceOf(CommandFailedException.class);
    }

    @Test
    void engineDown_propagatesTheEngineFailure() {
        ContainerId id = container(ContainerStatus.CREATED);
        engine.goDown();

        assertThatThrownBy(() -> underTest.start(id)).isInstanceOf(EngineUnavailableException.class);
    }
}
