package io.gantry.app.cli;

import io.gantry.core.container.Container;
import io.gantry.core.container.LogOptions;
import io.gantry.core.container.LogSink;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code gantry logs}: a container's standard output on ours, its standard error on ours. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints a container's output (stdout to stdout, stderr to stderr).")
final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CONTAINER", description = "Name, id or unique id prefix.")
    String container;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the container stops.")
    boolean follow;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines.")
    Integer tail;

    @Option(names = {"-t", "--timestamps"}, description = "Prefix each line with the engine's timestamp.")
    boolean timestamps;

    @Override
    public Integer call() {
        LogOptions options = GantryCommand.option(spec, "--tail", () -> new LogOptions(follow,
                tail == null ? OptionalInt.empty() : OptionalInt.of(tail), timestamps));
        PrintWriter out = gantry.out();
        PrintWriter err = gantry.err();
        gantry.withEngine(engine -> {
            Container c = GantryCommand.resolve(engine, container);
            engine.logs(c.id(), options, (stream, bytes) -> {
                PrintWriter target = stream == LogSink.Stream.STDERR ? err : out;
                target.print(new String(bytes, StandardCharsets.UTF_8));
                target.flush();
            });
            return null;
        });
        return ExitCodes.OK;
    }
}
