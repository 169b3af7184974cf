package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.testing.PodmanEngine;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.StopOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine contract and the real-engine rows of {@link DockerContainerEngineIT}, run against Podman's Docker API (a
 * rootful {@link PodmanEngine} of this class's own): the same adapter, pointed at another socket, must pass them.
 * What Podman 4.3 cannot do is a skipped row with its reason (docs/engines.md has the table).
 */
class PodmanContainerEngineIT extends DockerContainerEngineIT {

    private static final String NO_UPDATE = "Podman 4.3's Docker API has no POST /containers/{id}/update: a change "
            + "of restart policy or resources needs a new container (the adapter answers a conflict that says so)";

    private PodmanEngine podman;

    @Override
    protected String startEngine(String insecureRegistry) {
        podman = PodmanEngine.start(List.of(insecureRegistry));
        return podman.host();
    }

    @Override
    protected void stopEngine() {
        podman.close();
    }

    @Override
    protected Map<String, String> unsupported() {
        return Map.of(
                "create_hostPortRange_roundTrips", "Podman 4.3's Docker API takes no host port range "
                        + "(\"strconv.Atoi: parsing \\\"18100-18110\\\": invalid syntax\")",
                "update_changesRestartPolicyAndResourcesInPlace", NO_UPDATE,
                "update_backToTheCreatedSettings_reportsTheCreatedSpecAgain", NO_UPDATE,
                "stop_ofAPausedContainer_resumesAndStopsIt", "Podman 4.3 refuses to stop a paused container, so the "
                        + "adapter resumes it first: RESUMED comes before KILLED, not after it as on Docker (the "
                        + "Podman order is checked by stop_ofAPausedContainer_resumesItFirst)",
                "create_sendsLogRotationAsDockerOptions", "Podman 4.3 has no json-file driver (k8s-file stands in), "
                        + "applies max-size but not max-file, and reports no log options in HostConfig.LogConfig");
    }

    @Test
    void stop_ofAPausedContainer_resumesItFirst() {
        ContainerId id = create(idle("paused-stop").build());
        engine().start(id);
        engine().pause(id);

        engine().stop(id, StopOptions.DEFAULT);

        assertThat(inspect(id).status()).isEqualTo(ContainerStatus.EXITED);
        awaitEvents(id, ContainerEvent.Kind.CREATED, ContainerEvent.Kind.STARTED, ContainerEvent.Kind.PAUSED,
                ContainerEvent.Kind.RESUMED, ContainerEvent.Kind.KILLED, ContainerEvent.Kind.DIED,
                ContainerEvent.Kind.STOPPED);
    }

    /** Podman 4.3 reports {@code bridge} there; {@code NetworkSettings.Networks} names the network it is on. */
    @Override
    protected String reportedNetworkMode(String network) {
        return "bridge";
    }

    /** Podman picks the host port when the container is created, and reports it; Docker does at start. */
    @Override
    protected String handMadeAnyHostPort() {
        return "127\\.0\\.0\\.1:\\d+:80/udp";
    }

    /** Podman 4.3's Docker API drops {@code --memory-swap -1}: the container gets swap of twice its memory. */
    @Override
    protected boolean keepsUnlimitedSwap() {
        return false;
    }

    /** Podman has no syslog driver ("invalid log driver"); its own are k8s-file, journald and none. */
    @Override
    protected List<String> handMadeLogOptions() {
        return List.of();
    }
}
