package io.gantry.app.cli;

import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigException;
import io.gantry.config.ConfigLoader;
import io.gantry.config.ConfigWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code gantry config validate|defaults}: checks a configuration file, or prints the complete default file. */
@Command(name = "config", description = "Checks a configuration file or prints the defaults.",
        subcommands = {ConfigCommand.Validate.class, ConfigCommand.Defaults.class})
public final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Override
    public Integer call() {
        gantry.spec.commandLine().getSubcommands().get("config").usage(gantry.err());
        return ExitCodes.USAGE;
    }

    /** {@code gantry config validate [FILE]}. */
    @Command(name = "validate", description = "Checks a configuration file and lists every problem with its JSON path."
            + " Exits 0 when the file is valid, 78 when it is not.")
    static final class Validate implements Callable<Integer> {

        @ParentCommand
        ConfigCommand config;

        @Parameters(arity = "0..1", paramLabel = "FILE",
                description = "The file to check; default: --config, else /etc/gantry/config.json.")
        Path file;

        @Override
        public Integer call() {
            Path target = file != null ? file : config.gantry.config != null ? config.gantry.config
                    : AgentConfig.DEFAULT_PATH;
            try {
                ConfigLoader.load(target);
            } catch (ConfigException e) {
                config.gantry.err().println(e.getMessage().strip());
                config.gantry.err().flush();
                return ExitCodes.CONFIG;
            }
            config.gantry.out().println(target + ": valid");
            return ExitCodes.OK;
        }
    }

    /** {@code gantry config defaults}. */
    @Command(name = "defaults", description = "Prints the complete configuration file with every default value.")
    static final class Defaults implements Callable<Integer> {

        @ParentCommand
        ConfigCommand config;

        @Override
        public Integer call() {
            config.gantry.out().print(ConfigWriter.defaults());
            config.gantry.out().flush();
            return ExitCodes.OK;
        }
    }
}
