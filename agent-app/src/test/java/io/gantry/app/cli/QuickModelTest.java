package io.gantry.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model the CLI's own JVM builds for one command line: only the invoked quick command, yet every output, error
 * line and exit code the same as with the whole model.
 */
class QuickModelTest {

    private static final String IMAGE = "gantry-test/busybox:1";
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final EngineFactory engines = c -> {
        throw new AssertionError("building a model opens no engine");
    };

    @Test
    void aQuickCommand_printsAndExitsAsWithTheWholeModel() {
        List<List<String>> rows = List.of(
                List.of("ps"), List.of("ps", "-a"), List.of("-o", "json", "ps", "-a"), List.of("ps", "--bogus"),
                List.of("ps", "--help"), List.of("inspect", "web"), List.of("inspect", "web", "-o", "json"),
                List.of("inspect", "nothing"), List.of("inspect"), List.of("stop", "-t", "0", "web"),
                List.of("stop", "-t", "x", "web"), List.of("start", "web", "nothing"), List.of("pause", "web"),
                List.of("resume", "web"), List.of("rename", "web", "web2"), List.of("rename", "web", "bad name"),
                List.of("rm", "-f", "web"), List.of("-o", "yaml", "ps"));
        for (List<String> row : rows) {
            String[] args = row.toArray(String[]::new);
            CliRun whole = runOnFreshEngine(args, false);
            CliRun once = runOnFreshEngine(args, true);

            assertThat(once).as(String.join(" ", row)).isEqualTo(whole);
        }
    }

    @Test
    void onlyAQuickCommand_getsTheSmallModel() {
        assertThat(GantryCommand.commandLineFor(new String[] {"-H", "unix:///x", "ps", "-a"}, engines, CLOCK)
                .getSubcommands()).containsOnlyKeys("ps");
        assertThat(GantryCommand.commandLineFor(new String[] {"resume", "web"}, engines, CLOCK)
                .getSubcommands()).containsOnlyKeys("resume", "unpause");
        int all = GantryCommand.commandLine(engines, CLOCK).getSubcommands().size();
        for (String[] args : List.of(new String[] {}, new String[] {"--help"}, new String[] {"help", "ps"},
                new String[] {"pss"}, new String[] {"create", IMAGE}, new String[] {"--config", "c.json", "logs"})) {
            assertThat(GantryCommand.commandLineFor(args, engines, CLOCK).getSubcommands()).as(String.join(" ", args))
                    .hasSize(all);
        }
    }

    /** Runs {@code args} against a fake engine holding one running container {@code web}, made anew each time. */
    private CliRun runOnFreshEngine(String[] args, boolean once) {
        FakeContainerEngine engine = new FakeContainerEngine(Clock.fixed(NOW.minusSeconds(300), ZoneOffset.UTC))
                .withImage(IMAGE);
        ContainerId id = engine.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("web"))
                .build(), Map.of());
        engine.start(id);
        EngineFactory factory = c -> engine;
        return once ? CliRun.once(factory, CLOCK, args) : CliRun.of(factory, CLOCK, args);
    }
}
