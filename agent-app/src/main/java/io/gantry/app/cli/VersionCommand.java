package io.gantry.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.core.container.EngineInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code gantry version}: Gantry's version, then the engine's (which needs the engine to answer). */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Shows Gantry's version and the container engine's.")
final class VersionCommand implements Callable<Integer> {

    @ParentCommand
    GantryCommand gantry;

    @Override
    public Integer call() {
        String gantryVersion = GantryVersion.version();
        if (gantry.output() == OutputFormat.TABLE) {
            // Gantry's own version is printed even when the engine then fails to answer.
            gantry.out().println("Gantry:  " + gantryVersion);
            gantry.out().flush();
        }
        EngineInfo info = gantry.withEngine(engine -> engine.info());
        if (gantry.output() == OutputFormat.JSON) {
            ObjectNode node = ContainerJson.JSON.createObjectNode();
            node.putObject("gantry").put("version", gantryVersion);
            node.putObject("engine").put("version", info.version()).put("api_version", info.apiVersion())
                    .put("os", info.operatingSystem()).put("arch", info.architecture())
                    .put("cgroup_version", info.cgroupVersion()).put("cgroup_driver", info.cgroupDriver())
                    .put("cpus", info.cpus()).put("memory_bytes", info.memoryBytes());
            gantry.out().println(ContainerJson.print(node));
        } else {
            gantry.out().println("Engine:  " + info.version() + " (API " + info.apiVersion() + ", "
                    + info.operatingSystem() + "/" + info.architecture() + ", cgroup v" + info.cgroupVersion() + ")");
        }
        gantry.out().flush();
        return ExitCodes.OK;
    }
}
