package io.gantry.app.docker;

import io.gantry.config.ByteSize;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.Gpus;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Specs that use every field, for the adapter's unit tests. */
final class Specs {

    private Specs() {
    }

    static ContainerSpec full() {
        return ContainerSpec.builder(ImageRef.parse("registry.example.com:5000/edge/app:2.1"))
                .name(new ContainerName("web"))
                .entrypoint(List.of("/bin/app", "--serve"))
                .cmd(List.of("--port", "8080"))
                .env(List.of(EnvVar.of("MODE", "edge"), EnvVar.of("EMPTY", ""), EnvVar.parse("PASSED")))
                .hostname("gw")
                .domainname("example.org")
                .mounts(List.of(Mount.parse("/data:/var/lib/app:rshared"), Mount.parse("/etc/app:/config:ro"),
                        Mount.parse("appcache:/cache")))
                .devices(List.of(DeviceMapping.parse("/dev/ttyUSB0:/dev/serial:rw")))
                .network(NetworkMode.parse("edge-net"))
                .ports(List.of(PortMapping.parse("127.0.0.1:8080:8080"), PortMapping.parse("5000-5010:5000/udp"),
                        PortMapping.parse("9000")))
                .extraHosts(List.of(ExtraHost.parse("gw:host_ip"), ExtraHost.parse("db:10.0.0.5")))
                .restartPolicy(RestartPolicy.onFailure(5, Duration.ofSeconds(90)))
                .log(LogConfig.DEFAULT.withDriver("local").withRotation(4, Optional.of(ByteSize.parse("20m")))
                        .withMode(LogConfig.Mode.NON_BLOCKING, Optional.of(ByteSize.parse("4m")))
                        .withOptions(Map.of("compress", "false")))
                .resources(new Resources(Optional.of(ByteSize.parse("256m")), Optional.of(ByteSize.parse("128m")),
                        Optional.empty(), true, Optional.of(new BigDecimal("1.5")), Optional.of(Gpus.ALL)))
                .runtime("nvidia")
                .labels(Map.of("app", "web"))
                .tty(true)
                .openStdin(true)
                .build();
    }
}
