package io.gantry.update.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.ByteSize;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.Gpus;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Propagation;
import io.gantry.core.container.Protocol;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.desired.DesiredState;
import io.gantry.update.desired.IdentificationException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Desired state → container specs: every config key of reference/kanto-cua.md §2.3, and the §7 statements on them. */
class DesiredStateMapperTest {

    private static final UpdateTopics TOPICS = UpdateTopics.of("containers");
    private static final String PREFIX = "cannot convert desired state components to container configurations:"
            + " invalid configuration for container web: ";

    private static WireKeyValue kv(String key, String value) {
        return new WireKeyValue(key, value);
    }

    private static WireDesiredState state(List<WireBaseline> baselines, List<WireKeyValue> domainConfig,
                                          WireComponent... components) {
        return new WireDesiredState(baselines, List.of(new WireDomain("containers", domainConfig, List.of(components))));
    }

    private static WireComponent web(String... keyValues) {
        List<WireKeyValue> config = new ArrayList<>();
        config.add(kv("image", "registry.local/web:1"));
        for (int i = 0; i < keyValues.length; i += 2) {
            config.add(kv(keyValues[i], keyValues[i + 1]));
        }
        return new WireComponent("web", "1", config);
    }

    private static ContainerSpec spec(String... keyValues) {
        return DesiredStateMapper.from(state(List.of(), List.of(), web(keyValues)), TOPICS).components().get(0).spec();
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(new String[] {}, (Function<ContainerSpec, Object>) s -> s.restartPolicy(),
                        RestartPolicy.UNLESS_STOPPED),
                Arguments.of(new String[] {}, (Function<ContainerSpec, Object>) ContainerSpec::log, LogConfig.DEFAULT),
                Arguments.of(new String[] {}, (Function<ContainerSpec, Object>) ContainerSpec::network,
                        NetworkMode.BRIDGE),
                Arguments.of(new String[] {"env", "A=1", "env", "B", "env", "C="},
                        (Function<ContainerSpec, Object>) ContainerSpec::env,
                        List.of(EnvVar.of("A", "1"), new EnvVar("B", Optional.empty()), EnvVar.of("C", ""))),
                Arguments.of(new String[] {"cmd", "sh", "cmd", "-c", "cmd", "sleep 1"},
                        (Function<ContainerSpec, Object>) ContainerSpec::cmd, List.of("sh", "-c", "sleep 1")),
                // §7.15
                Arguments.of(new String[] {"port", "5000-6000:80/udp"},
                        (Function<ContainerSpec, Object>) ContainerSpec::ports,
                        List.of(new PortMapping("0.0.0.0", 5000, 6000, 80, Protocol.UDP))),
                Arguments.of(new String[] {"port", "127.0.0.1:8080:80"},
                        (Function<ContainerSpec, Object>) s -> s.ports().get(0).toString(), "127.0.0.1:8080:80/tcp"),
                // §7.14 differs: localhost is read as 127.0.0.1 instead of dropping the mapping
                Arguments.of(new String[] {"port", "localhost:8080:80"},
                        (Function<ContainerSpec, Object>) s -> s.ports().get(0).hostIp(), "127.0.0.1"),
                // §7.16
                Arguments.of(new String[] {"device", "/dev/ttyACM0:/dev/ttyUSB0"},
                        (Function<ContainerSpec, Object>) ContainerSpec::devices,
                        List.of(new DeviceMapping("/dev/ttyACM0", "/dev/ttyUSB0", "rwm"))),
                // §7.17
                Arguments.of(new String[] {"mount", "/a:/b"}, (Function<ContainerSpec, Object>) ContainerSpec::mounts,
                        List.of(new Mount("/a", "/b", Propagation.RPRIVATE, false))),
                Arguments.of(new String[] {"mount", "/a:/b:rshared"},
                        (Function<ContainerSpec, Object>) s -> s.mounts().get(0).propagation(), Propagation.RSHARED),
                Arguments.of(new String[] {"host", "db:192.168.1.2", "host", "gw:host_ip"},
                        (Function<ContainerSpec, Object>) s -> s.extraHosts().size(), 2),
                Arguments.of(new String[] {"privileged", "true", "terminal", "1", "interactive", "T"},
                        (Function<ContainerSpec, Object>) s -> List.of(s.privileged(), s.tty(), s.openStdin()),
                        List.of(true, true, true)),
                Arguments.of(new String[] {"privileged", "False"},
                        (Function<ContainerSpec, Object>) ContainerSpec::privileged, false),
                Arguments.of(new String[] {"network", "host"},
                        (Function<ContainerSpec, Object>) ContainerSpec::network, NetworkMode.HOST),
                // §7.19 differs: none (and named networks) are accepted
                Arguments.of(new String[] {"network", "none"},
                        (Function<ContainerSpec, Object>) ContainerSpec::network, NetworkMode.NONE),
                // §7.22: retries and timeout only count for on-failure
                Arguments.of(new String[] {"restartPolicy", "always", "restartMaxRetries", "3"},
                        (Function<ContainerSpec, Object>) ContainerSpec::restartPolicy, RestartPolicy.ALWAYS),
                // §7.23
                Arguments.of(new String[] {"restartPolicy", "on-failure", "restartMaxRetries", "3",
                        "restartTimeout", "30"}, (Function<ContainerSpec, Object>) ContainerSpec::restartPolicy,
                        RestartPolicy.onFailure(3, Duration.ofSeconds(30))),
                Arguments.of(new String[] {"restartPolicy", "on-failure", "restartTimeout", "1m30s"},
                        (Function<ContainerSpec, Object>) s -> s.restartPolicy().retryTimeout(),
                        Duration.ofSeconds(90)),
                Arguments.of(new String[] {"restartPolicy", "no"},
                        (Function<ContainerSpec, Object>) ContainerSpec::restartPolicy, RestartPolicy.NO),
                // §7.12, §7.30
                Arguments.of(new String[] {"logMaxBufferSize", "5m"},
                        (Function<ContainerSpec, Object>) s -> s.log().maxBufferSize(), Optional.empty()),
                Arguments.of(new String[] {"logMode", "non-blocking"},
                        (Function<ContainerSpec, Object>) s -> s.log().maxBufferSize(),
                        Optional.of(ByteSize.ofMebibytes(1))),
                Arguments.of(new String[] {"logDriver", "none"},
                        (Function<ContainerSpec, Object>) s -> s.log().driver(), "none"),
                Arguments.of(new String[] {"logMaxFiles", "5", "logMaxSize", "10m"},
                        (Function<ContainerSpec, Object>) s -> List.of(s.log().maxFiles(), s.log().maxSize().get()),
                        List.of(5, ByteSize.ofMebibytes(10))),
                // Kanto reads logMaxFiles=0 as its default of 2
                Arguments.of(new String[] {"logMaxFiles", "0"},
                        (Function<ContainerSpec, Object>) s -> s.log().maxFiles(), 2),
                Arguments.of(new String[] {"memory", "200M", "memoryReservation", "100m", "memorySwap", "1g"},
                        (Function<ContainerSpec, Object>) s -> List.of(s.resources().memory().get(),
                                s.resources().memoryReservation().get(), s.resources().memorySwap().get()),
                        List.of(ByteSize.ofMebibytes(200), ByteSize.ofMebibytes(100), ByteSize.ofMebibytes(1024))),
                Arguments.of(new String[] {"memory", "200M", "memorySwap", "-1"},
                        (Function<ContainerSpec, Object>) s -> s.resources().unlimitedSwap(), true),
                Arguments.of(new String[] {"cpus", "1.5", "gpus", "all"},
                        (Function<ContainerSpec, Object>) s -> List.of(s.resources().cpus().get(),
                                s.resources().gpus().get()), List.of(new BigDecimal("1.5"), Gpus.ALL)),
                // the last occurrence of a single-valued key wins; an empty value means the default
                Arguments.of(new String[] {"restartPolicy", "no", "restartPolicy", "always"},
                        (Function<ContainerSpec, Object>) ContainerSpec::restartPolicy, RestartPolicy.ALWAYS),
                Arguments.of(new String[] {"network", ""},
                        (Function<ContainerSpec, Object>) ContainerSpec::network, NetworkMode.BRIDGE));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void from_acceptedValue_isInTheSpec(String[] keyValues, Function<ContainerSpec, Object> field, Object expected) {
        assertThat(field.apply(spec(keyValues))).isEqualTo(expected);
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                // §7.17: Kanto's text, followed by the modes (the shared Mount.parse message)
                Arguments.of(new String[] {"mount", "/a:/b:bogus"}, "invalid mount \"/a:/b:bogus\": propagation mode"
                        + " must be set to one of the supported modes (rprivate, private, rshared, shared, rslave,"
                        + " slave) or ro/rw"),
                // §7.18
                Arguments.of(new String[] {"privileged", "true", "device", "/dev/a:/dev/b"},
                        "cannot create the container as privileged and with specified devices at the same time"
                                + " - choose one of the options"),
                // §7.19
                Arguments.of(new String[] {"network", "host", "port", "80:80"},
                        "cannot use port mappings when in host network mode"),
                Arguments.of(new String[] {"network", "host", "host", "gw:host_ip"},
                        "cannot use the host_ip reserved key or any of its modifications when in host network mode"),
                // §7.20, §7.21
                Arguments.of(new String[] {"restartPolicy", "sometimes"}, "unsupported restart policy type sometimes"),
                Arguments.of(new String[] {"restartPolicy", "on-failure", "restartMaxRetries", "-1"},
                        "restart policy max retry count cannot be negative"),
                Arguments.of(new String[] {"restartPolicy", "on-failure", "restartTimeout", "-5"},
                        "restart policy retry timeout cannot be negative"),
                // §7.24 (the minimum is Docker's 6M, not containerd's 3M)
                Arguments.of(new String[] {"memory", "2m"}, "minimum memory allowed is 6M"),
                Arguments.of(new String[] {"memory", "512"}, "invalid format of memory - 512"),
                Arguments.of(new String[] {"memory", "100m", "memoryReservation", "200m"},
                        "reservation memory - 200m must be lower than memory - 100m"),
                Arguments.of(new String[] {"memorySwap", "300m"}, "swap memory - 300m, memory must be set as well"),
                Arguments.of(new String[] {"memory", "300m", "memorySwap", "200m"},
                        "swap memory - 200m is less than memory - 300m"),
                Arguments.of(new String[] {"memoryReservation", "lots"}, "invalid format of memory reservation - lots"),
                Arguments.of(new String[] {"memory", "100m", "memorySwap", "x"}, "invalid format of swap memory - x"),
                // §7.26
                Arguments.of(new String[] {"env", "1X=2"}, "invalid environmental variable declaration provided : 1X=2"),
                // §7.29
                Arguments.of(new String[] {"logDriver", "syslog"}, "unsupported log driver configuration"),
                Arguments.of(new String[] {"logMode", "async"}, "unsupported log mode configuration"),
                Arguments.of(new String[] {"logMaxSize", "10"}, "invalid format of max logs size - 10"),
                Arguments.of(new String[] {"logMode", "non-blocking", "logMaxBufferSize", "big"},
                        "invalid format of max buffer size - big"),
                Arguments.of(new String[] {"logMaxFiles", "-1"}, "max log files cannot be < 1"),
                Arguments.of(new String[] {"logPath", "logs"}, "root dir for container log, logs should be an absolute"
                        + " path"),
                // §7.31
                Arguments.of(new String[] {"image", ""}, "the containers image configuration is invalid"),
                Arguments.of(new String[] {"host", "db"}, "invalid extra host \"db\": expected name:address"),
                Arguments.of(new String[] {"cpus", "0"}, "cpus 0 must be a number from 0.001 to 1024 with at most 3"
                        + " decimals"),
                Arguments.of(new String[] {"gpus", "none"}, "invalid gpus \"none\": expected \"all\" or a count of at"
                        + " least 1"),
                Arguments.of(new String[] {"image", "Registry/Web"}, "invalid image reference \"Registry/Web\": the"
                        + " repository \"Registry/Web\" must be lower-case letters, digits and separators (. _ -)"));
    }

    /** Values Kanto drops or reads as its default (§7.14, §7.16, §7.17, §7.28): the key, what Gantry does, why. */
    static Stream<Arguments> droppedByKanto() {
        return Stream.of(
                Arguments.of(new String[] {"port", "http"}, "port \"http\" is dropped (invalid port mapping \"http\":"
                        + " container port \"http\" is not a number from 1 to 65535)"),
                Arguments.of(new String[] {"port", "70000:80"}, "port \"70000:80\" is dropped (invalid port mapping"
                        + " \"70000:80\": host port 70000 is not from 1 to 65535)"),
                Arguments.of(new String[] {"port", "8080:80-81"}, "port \"8080:80-81\" is dropped (invalid port mapping"
                        + " \"8080:80-81\": a container port range (80-81) is not supported: map one container port)"),
                Arguments.of(new String[] {"device", "/dev/a:/dev/b:rwx"}, "device \"/dev/a:/dev/b:rwx\" is dropped"
                        + " (invalid device mapping \"/dev/a:/dev/b:rwx\": cgroup permissions \"rwx\" must be one to"
                        + " three of r, w, m)"),
                Arguments.of(new String[] {"device", "/dev/a:/dev/b:rw:x"}, "device \"/dev/a:/dev/b:rw:x\" is dropped"
                        + " (invalid device mapping \"/dev/a:/dev/b:rw:x\": expected /dev/host[:/dev/container[:rwm]])"),
                Arguments.of(new String[] {"mount", "/a"}, "mount \"/a\" is dropped (invalid mount \"/a\": expected"
                        + " source:destination[:propagation][,ro])"),
                Arguments.of(new String[] {"mount", "/a:/b:rprivate:x"}, "mount \"/a:/b:rprivate:x\" is dropped"
                        + " (invalid mount \"/a:/b:rprivate:x\": expected source:destination[:propagation][,ro])"),
                Arguments.of(new String[] {"privileged", "yes"}, "privileged \"yes\" is read as false (invalid value"
                        + " \"yes\" for privileged: expected true or false)"),
                Arguments.of(new String[] {"terminal", "on"}, "terminal \"on\" is read as false (invalid value \"on\""
                        + " for terminal: expected true or false)"),
                Arguments.of(new String[] {"logMaxFiles", "abc"}, "logMaxFiles \"abc\" is read as 0 (invalid value"
                        + " \"abc\" for logMaxFiles: expected a whole number)"),
                Arguments.of(new String[] {"restartPolicy", "on-failure", "restartTimeout", "soon"}, "restartTimeout"
                        + " \"soon\" is read as 0 (invalid value \"soon\" for restartTimeout: expected whole seconds or"
                        + " a duration such as 90s)"),
                Arguments.of(new String[] {"restartPolicy", "always", "restartMaxRetries", "many"}, "restartMaxRetries"
                        + " \"many\" is read as 0 (invalid value \"many\" for restartMaxRetries: expected a whole"
                        + " number)"));
    }

    @ParameterizedTest
    @MethodSource("droppedByKanto")
    void from_valueKantoDrops_isDroppedWithAWarningNamingIt(String[] keyValues, String warning) {
        DesiredState desired = DesiredStateMapper.from(state(List.of(), List.of(), web(keyValues)), TOPICS);

        assertThat(desired.warnings()).containsExactly("component web: " + warning);
        // The spec is the one the other keys give: the value is gone (or its default), nothing else changed.
        assertThat(desired.components().get(0).spec())
                .isEqualTo(spec(java.util.Arrays.copyOf(keyValues, keyValues.length - 2)));
    }

    @ParameterizedTest
    @MethodSource("droppedByKanto")
    void from_valueKantoDrops_inStrictMode_failsIdentificationWithTheReason(String[] keyValues, String warning) {
        String reason = warning.substring(warning.indexOf(" (") + 2, warning.length() - 1);

        assertThatThrownBy(() -> DesiredStateMapper.from(state(List.of(), List.of(), web(keyValues)), TOPICS, true))
                .isInstanceOf(IdentificationException.class).hasMessage(PREFIX + reason);
    }

    @Test
    void from_ledaPortWithAContainerRangeOfOne_isApplied() {
        DesiredState desired = DesiredStateMapper.from(state(List.of(), List.of(),
                web("port", "localhost:55555:30555-30555/tcp")), TOPICS, true);

        assertThat(desired.components().get(0).spec().ports())
                .containsExactly(new PortMapping("127.0.0.1", 55555, 55555, 30555, Protocol.TCP));
        assertThat(desired.warnings()).isEmpty();
    }

    @Test
    void from_deviceWithoutHostPath_failsAsInKanto() {
        assertThatThrownBy(() -> spec("device", ":/dev/b")).isInstanceOf(IdentificationException.class)
                .hasMessageEndingWith("both path on the host and in the container must be specified for a device"
                        + " mapping");
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void from_rejectedValue_failsIdentificationNamingTheContainer(String[] keyValues, String reason) {
        assertThatThrownBy(() -> spec(keyValues)).isInstanceOf(IdentificationException.class)
                .hasMessageStartingWith(PREFIX).hasMessageEndingWith(reason);
    }

    @Test
    void from_s7_20_messageIsExactlyKantos() {
        assertThatThrownBy(() -> spec("restartPolicy", "sometimes")).hasMessage("cannot convert desired state"
                + " components to container configurations: invalid configuration for container web: unsupported"
                + " restart policy type sometimes");
    }

    @Test
    void from_aComponentOverTheWeightBound_failsIdentification() {
        assertThatThrownBy(() -> spec("image", "busybox", "env", "BIG=" + "x".repeat(300_000)))
                .hasMessage("cannot convert desired state components to container configurations: invalid"
                        + " configuration for container web: the container's configuration is too large: 300021"
                        + " characters of command, environment, labels and other settings, at most 262144 are allowed");
    }

    @Test
    void from_s7_7_componentWithoutImage_usesIdAndVersion() {
        WireComponent nginx = new WireComponent("nginx", "1.25", List.of());
        ContainerSpec spec = DesiredStateMapper.from(state(List.of(), List.of(), nginx), TOPICS).components().get(0)
                .spec();
        assertThat(spec.image()).isEqualTo(ImageRef.parse("nginx:1.25"));
    }

    @Test
    void from_s7_27_componentIdWithDomainPrefix_isAnInvalidName() {
        WireComponent component = new WireComponent("containers:influxdb", "1", List.of(kv("image", "influxdb")));
        assertThatThrownBy(() -> DesiredStateMapper.from(state(List.of(), List.of(), component), TOPICS))
                .hasMessage("cannot convert desired state components to container configurations: invalid"
                        + " configuration for container containers:influxdb: invalid container name format :"
                        + " containers:influxdb");
    }

    @Test
    void from_s7_13_unknownAndMisspeltKeys_areAccepted_andNamedInAWarning() {
        DesiredState desired = DesiredStateMapper.from(state(List.of(), List.of(kv("color", "blue")),
                web("ports", "80:80", "Image", "x", "status", "Running")), TOPICS);
        assertThat(desired.components().get(0).spec().ports()).isEmpty();
        assertThat(desired.warnings()).containsExactly(
                "component web: unknown config keys ports, Image, status are ignored",
                "unknown domain config key color is ignored");
    }

    @Test
    void from_logPath_isAcceptedButIgnored_withAWarning() {
        DesiredState desired = DesiredStateMapper.from(state(List.of(), List.of(), web("logPath", "/var/log/x")),
                TOPICS);
        assertThat(desired.warnings()).singleElement().asString().contains("logPath /var/log/x is ignored");
    }

    @Test
    void from_s7_32_notExactlyOneDomain_orAnotherDomain_fails() {
        assertThatThrownBy(() -> DesiredStateMapper.from(WireDesiredState.EMPTY, TOPICS))
                .hasMessage("one domain expected in desired state specification, but got 0");
        WireDomain one = new WireDomain("containers", List.of(), List.of());
        assertThatThrownBy(() -> DesiredStateMapper.from(new WireDesiredState(List.of(), List.of(one, one)), TOPICS))
                .hasMessage("one domain expected in desired state specification, but got 2");
        WireDomain foo = new WireDomain("foo", List.of(), List.of());
        assertThatThrownBy(() -> DesiredStateMapper.from(new WireDesiredState(List.of(), List.of(foo)), TOPICS))
                .hasMessage("domain id mismatch - expecting containers, received foo");
    }

    @Test
    void from_s7_47_baselineNamingAMissingComponent_fails() {
        WireBaseline b1 = new WireBaseline("B1", "", List.of("containers:missing"));
        assertThatThrownBy(() -> DesiredStateMapper.from(state(List.of(b1), List.of(), web()), TOPICS))
                .hasMessage("cannot process desired state baselines with containers: problem with baseline B1:"
                        + " cannot find container component containers:missing");
    }

    @Test
    void from_componentInTwoBaselines_fails_andOtherDomainsAreSkipped() {
        WireBaseline b1 = new WireBaseline("B1", "", List.of("containers:web", "self-update:os"));
        WireBaseline b2 = new WireBaseline("B2", "", List.of("containers:web"));
        assertThat(DesiredStateMapper.from(state(List.of(b1), List.of(), web()), TOPICS).baselines())
                .singleElement().satisfies(b -> assertThat(b.members()).extracting(Object::toString)
                        .containsExactly("web"));
        assertThatThrownBy(() -> DesiredStateMapper.from(state(List.of(b1, b2), List.of(), web()), TOPICS))
                .hasMessageEndingWith("problem with baseline B2: cannot find container component containers:web");
    }

    @Test
    void from_s7_36_systemContainersInDomainConfig_replaceTheConfiguredList() {
        DesiredState listed = DesiredStateMapper.from(state(List.of(), List.of(kv("systemContainers", "a, b"))),
                TOPICS);
        assertThat(listed.effectiveSystemContainers(List.of("sua"))).containsExactlyInAnyOrder("a", "b");
        DesiredState empty = DesiredStateMapper.from(state(List.of(), List.of(kv("systemContainers", ""))), TOPICS);
        assertThat(empty.effectiveSystemContainers(List.of("sua"))).isEmpty();
        DesiredState absent = DesiredStateMapper.from(state(List.of(), List.of()), TOPICS);
        assertThat(absent.effectiveSystemContainers(List.of("sua"))).containsExactly("sua");
    }

    @Test
    void from_twoComponentsWithOneId_fails() {
        assertThatThrownBy(() -> DesiredStateMapper.from(state(List.of(), List.of(), web(), web()), TOPICS))
                .hasMessage(PREFIX + "another component has the same id");
    }

    @Test
    void from_s7_52_otherDomain_needsItsOwnDomainId() {
        UpdateTopics mine = UpdateTopics.of("my-ctrs");
        WireDesiredState wire = new WireDesiredState(List.of(), List.of(new WireDomain("my-ctrs", List.of(),
                List.of(web()))));
        assertThat(DesiredStateMapper.from(wire, mine).components()).hasSize(1);
        assertThatThrownBy(() -> DesiredStateMapper.from(state(List.of(), List.of(), web()), mine))
                .hasMessage("domain id mismatch - expecting my-ctrs, received containers");
    }
}
