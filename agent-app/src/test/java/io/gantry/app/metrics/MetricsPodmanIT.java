package io.gantry.app.metrics;

import io.gantry.app.testing.PodmanEngine;

/**
 * {@link MetricsDockerIT} on a rootful Podman of its own: the kernel path finds the container under libpod's cgroup
 * layout ({@code libpod_parent/libpod-<id>}) and agrees with what Podman's Docker API reports.
 */
class MetricsPodmanIT extends MetricsDockerIT {

    private PodmanEngine podman;

    @Override
    protected String startEngineHost() {
        podman = PodmanEngine.start();
        return podman.host();
    }

    @Override
    protected void stopEngineHost() {
        podman.close();
    }
}
