package io.gantry.app.cli;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.StopOptions;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gantry stop}. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops containers: the stop signal, then a kill after the timeout.")
final class StopCommand extends ContainerAction {

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS",
            description = "Seconds to wait before killing; default: engine.default_stop_timeout (30).")
    Integer seconds;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL",
            description = "Signal to send instead of the image's stop signal, e.g. SIGINT or 2.")
    String signal;

    private StopOptions options;

    @Override
    void checkOptions() {
        StopOptions timeout = GantryCommand.option(spec, "--time", () -> new StopOptions(
                Optional.ofNullable(seconds).map(s -> Duration.ofSeconds(s)), Optional.empty()));
        options = GantryCommand.option(spec, "--signal", () -> new StopOptions(timeout.timeout(),
                Optional.ofNullable(signal)));
    }

    @Override
    void apply(ContainerEngine engine, Container container) {
        engine.stop(container.id(), options);
    }
}
