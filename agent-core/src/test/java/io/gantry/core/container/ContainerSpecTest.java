package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.ByteSize;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerSpecTest {

    private static ContainerSpec.Builder nginx() {
        return ContainerSpec.builder(ImageRef.parse("nginx")).name(ContainerName.parse("web"));
    }

    @Test
    void validated_aSpecOverTheWeightBound_isRefused_sayingWhatItWeighs() {
        ContainerSpec heavy = nginx().env(List.of(EnvVar.of("BIG", "x".repeat(5 << 20)))).buildAsReported();

        // the default host name web-host (Kanto's <name>-host) counts like any text
        assertThat(heavy.weight()).isEqualTo("web-host".length() + "json-file".length() + "BIG=".length() + (5 << 20));
        assertThatThrownBy(heavy::validated).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the container's configuration is too large: 5242901 characters of command, environment,"
                        + " labels and other settings, at most 262144 are allowed");
        // every field an operator can make long counts
        assertThatThrownBy(nginx().labels(Map.of("k", "v".repeat(300_000)))::build)
                .hasMessageStartingWith("the container's configuration is too large");
        assertThatThrownBy(nginx().cmd(List.of("y".repeat(300_000)))::build)
                .hasMessageStartingWith("the container's configuration is too large");
        ContainerSpec justUnder = nginx().env(List.of(EnvVar.of("A", "x".repeat((int) ContainerSpec.MAX_WEIGHT - 20))))
                .build();
        assertThat(justUnder.validated()).isSameAs(justUnder);
    }

    @Test
    void builder_defaultsAreKantos() {
        ContainerSpec spec = nginx().build();
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.UNLESS_STOPPED);
        assertThat(spec.network()).isEqualTo(NetworkMode.BRIDGE);
        assertThat(spec.log()).isEqualTo(LogConfig.DEFAULT);
        assertThat(spec.resources()).isEqualTo(Resources.NONE);
        assertThat(spec.cmd()).isEmpty();
        assertThat(spec.name()).contains(ContainerName.parse("web"));
    }

    @Test
    void normalisation_makesSpecsThatMeanTheSameContainerEqual() {
        ContainerSpec a = ContainerSpec.builder(ImageRef.parse("nginx"))
                .addEnv(EnvVar.parse("B=2")).addEnv(EnvVar.parse("A=1")).addEnv(EnvVar.parse("A=0"))
                .addPort(PortMapping.parse("443:443")).addPort(PortMapping.parse("80:80"))
                .addMount(Mount.parse("/b:/b")).addMount(Mount.parse("/a:/a"))
                .addDevice(DeviceMapping.parse("/dev/b")).addDevice(DeviceMapping.parse("/dev/a:/dev/a:wr"))
                .addExtraHost(ExtraHost.parse("z:10.0.0.2")).addExtraHost(ExtraHost.parse("a:10.0.0.1"))
                .label("z", "1").label("a", "2")
                .build();
        ContainerSpec b = ContainerSpec.builder(ImageRef.parse("docker.io/library/nginx:latest"))
                .env(List.of(EnvVar.parse("A=0"), EnvVar.parse("B=2")))
                .ports(List.of(PortMapping.parse("80:80/tcp"), PortMapping.parse("0.0.0.0:443:443/tcp")))
                .mounts(List.of(Mount.parse("/a:/a:rprivate"), Mount.parse("/b:/b:rprivate")))
                .devices(List.of(DeviceMapping.parse("/dev/a:/dev/a:rw"), DeviceMapping.parse("/dev/b:/dev/b:rwm")))
                .extraHosts(List.of(ExtraHost.parse("a:10.0.0.1"), ExtraHost.parse("z:10.0.0.2")))
                .labels(Map.of("a", "2", "z", "1"))
                .build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.env()).extracting(EnvVar::toString).containsExactly("A=0", "B=2");
        assertThat(a.ports()).extracting(PortMapping::toString).containsExactly("80:80/tcp", "443:443/tcp");
    }

    @Test
    void envReordering_isTheSameSpec_butCmdReordering_isNot() {
        ContainerSpec ab = nginx().env(List.of(EnvVar.parse("A=1"), EnvVar.parse("B=2"))).cmd(List.of("a", "b")).build();
        ContainerSpec ba = nginx().env(List.of(EnvVar.parse("B=2"), EnvVar.parse("A=1"))).cmd(List.of("a", "b")).build();
        ContainerSpec cmdSwapped = nginx().env(List.of(EnvVar.parse("A=1"), EnvVar.parse("B=2"))).cmd(List.of("b", "a"))
                .build();
        assertThat(ab).isEqualTo(ba).isNotEqualTo(cmdSwapped);
    }

    @Test
    void gantrysLabels_areReserved() {
        assertThatThrownBy(() -> nginx().label("io.gantry.managed", "true").build())
                .hasMessage("label io.gantry.managed is reserved for Gantry");
    }

    static Stream<Arguments> crossFieldRules() {
        return Stream.of(
                Arguments.of("privileged with a device", (UnaryOperator<ContainerSpec.Builder>) b -> b.privileged(true)
                        .addDevice(DeviceMapping.parse("/dev/ttyUSB0")),
                        "cannot create the container as privileged and with specified devices at the same time - choose"
                                + " one of the options"),
                Arguments.of("host network with a port", (UnaryOperator<ContainerSpec.Builder>) b -> b.network(NetworkMode.HOST)
                        .addPort(PortMapping.parse("80:80")), "cannot use port mappings when in host network mode"),
                Arguments.of("none network with a port", (UnaryOperator<ContainerSpec.Builder>) b -> b.network(NetworkMode.NONE)
                        .addPort(PortMapping.parse("80:80")), "cannot use port mappings when in none network mode"),
                Arguments.of("another container's network with a port", (UnaryOperator<ContainerSpec.Builder>) b -> b
                        .network(NetworkMode.parse("container:db")).addPort(PortMapping.parse("80:80")),
                        "cannot use port mappings when in container:db network mode"),
                Arguments.of("host network with host_ip", (UnaryOperator<ContainerSpec.Builder>) b -> b.network(NetworkMode.HOST)
                        .addExtraHost(ExtraHost.parse("gw:host_ip")), "cannot use the host_ip reserved key or any of its"
                        + " modifications when in host network mode"),
                Arguments.of("host network with host_ip_eth0", (UnaryOperator<ContainerSpec.Builder>) b -> b
                        .network(NetworkMode.HOST).addExtraHost(ExtraHost.parse("gw:host_ip_eth0")), "cannot use the"
                        + " host_ip reserved key or any of its modifications when in host network mode"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crossFieldRules")
    void validated_breaksKantosCrossFieldRules_withKantosMessages(String what, UnaryOperator<ContainerSpec.Builder> edit,
                                                                  String message) {
        ContainerSpec.Builder builder = edit.apply(nginx());
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        ContainerSpec reported = edit.apply(nginx()).buildAsReported();   // what a hand-made container may be
        assertThatThrownBy(reported::validated).hasMessage(message);
    }

    @Test
    void validated_allowsWhatTheRulesDoNotForbid() {
        assertThat(nginx().privileged(true).build().privileged()).isTrue();
        assertThat(nginx().network(NetworkMode.HOST).addExtraHost(ExtraHost.parse("db:10.0.0.5")).build()).isNotNull();
        assertThat(nginx().addExtraHost(ExtraHost.parse("gw:host_ip")).addPort(PortMapping.parse("80:80")).build())
                .isNotNull();
        assertThat(nginx().network(NetworkMode.parse("iot-net")).addPort(PortMapping.parse("80:80")).build()).isNotNull();
        ContainerSpec spec = nginx().build();
        assertThat(spec.validated()).isSameAs(spec);
    }

    @Test
    void immutablePart_ignoresWhatAnUpdateCanChange() {
        ContainerSpec small = nginx().restartPolicy(RestartPolicy.ALWAYS)
                .resources(Resources.memory(ByteSize.parse("128m")).withCpus(Optional.of(BigDecimal.ONE))).build();
        ContainerSpec large = nginx().restartPolicy(RestartPolicy.onFailure(3, Duration.ofSeconds(30)))
                .resources(Resources.memory(ByteSize.parse("1g"))).build();
        assertThat(small).isNotEqualTo(large);
        assertThat(small.immutablePart()).isEqualTo(large.immutablePart());
        assertThat(small.immutablePart().restartPolicy()).isEqualTo(RestartPolicy.NO);
        assertThat(small.immutablePart().resources()).isEqualTo(Resources.NONE);
    }

    @Test
    void immutablePart_keepsEverythingElse() {
        ContainerSpec base = nginx().build();
        assertThat(nginx().addPort(PortMapping.parse("80:80")).build().immutablePart()).isNotEqualTo(base.immutablePart());
        assertThat(nginx().image(ImageRef.parse("nginx:1.25")).build().immutablePart()).isNotEqualTo(base.immutablePart());
        assertThat(nginx().resources(Resources.NONE.withGpus(Optional.of(Gpus.ALL))).build().immutablePart())
                .as("GPUs cannot be changed by an update").isNotEqualTo(base.immutablePart());
        assertThat(nginx().log(LogConfig.DEFAULT.withDriver("none")).build().immutablePart())
                .isNotEqualTo(base.immutablePart());
    }

    @Test
    void withName_andToBuilder_keepEverythingElse() {
        ContainerSpec spec = nginx().addEnv(EnvVar.parse("A=1")).privileged(true).tty(true).openStdin(true)
                .hostname("h").domainname("d").runtime("runc").entrypoint(List.of("/bin/sh")).build();
        ContainerSpec renamed = spec.withName(ContainerName.parse("web-new"));
        assertThat(renamed.name()).contains(ContainerName.parse("web-new"));
        assertThat(renamed.withName(ContainerName.parse("web"))).isEqualTo(spec);
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(nginx().name((ContainerName) null).build().name()).isEmpty();
    }
}
