package io.gantry.kanto.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.ByteSize;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ExtraHost;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogConfig;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.Propagation;
import io.gantry.core.container.Protocol;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.golden.GoldenJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerConfigMapperTest {

    private static final ImageRef IMAGE = ImageRef.parse("docker.io/library/httpd:2.4");

    static ContainerSpec fullSpec() {
        return ContainerSpec.builder(IMAGE).name(new ContainerName("web"))
                .domainname("web-domain").hostname("web-host")
                .addMount(new Mount("/data", "/var/lib/data", Propagation.RSHARED, false))
                .addEnv(EnvVar.of("B", "")).addEnv(EnvVar.of("A", "1"))
                .cmd(List.of("httpd-foreground", "-X"))
                .addDevice(new DeviceMapping("/dev/ttyUSB0", "/dev/ttyACM0", "rw"))
                .restartPolicy(RestartPolicy.onFailure(3, Duration.ofSeconds(30)))
                .addExtraHost(ExtraHost.parse("ctrhost:host_ip"))
                .addPort(new PortMapping("127.0.0.1", 6000, 6010, 443, Protocol.UDP))
                .addPort(PortMapping.of(5000, 80))
                .openStdin(true).tty(true)
                .log(new LogConfig(LogConfig.JSON_FILE, 5, Optional.of(ByteSize.parse("10M")),
                        LogConfig.Mode.NON_BLOCKING, Optional.of(ByteSize.parse("2M")), Map.of()))
                .resources(Resources.NONE.withMemory(Optional.of(ByteSize.parse("500M")),
                        Optional.of(ByteSize.parse("300M")), Optional.of(ByteSize.parse("1G")), false))
                .build();
    }

    private static ContainerSpec read(String json) {
        return ContainerConfigMapper.fromJson(JsonInput.of(GoldenJson.parse(json), "config"),
                ContainerSpec.builder(IMAGE)).buildAsReported();
    }

    @Test
    void toJson_fullSpec_matchesKantosConfigShape() {
        GoldenJson.assertMatches("descriptor/kanto-config-full.json", ContainerConfigMapper.toJson(fullSpec()));
    }

    @Test
    void fromJson_fullConfig_readsBackTheSameSpec() {
        ContainerSpec read = ContainerConfigMapper.fromJson(
                JsonInput.of(GoldenJson.read("descriptor/kanto-config-full.json"), "config"),
                ContainerSpec.builder(IMAGE).name(new ContainerName("web"))).build();

        assertThat(read).isEqualTo(fullSpec());
    }

    @Test
    void toJson_defaultSpec_showsKantosDefaults() {
        GoldenJson.assertMatches("descriptor/kanto-config-defaults.json",
                ContainerConfigMapper.toJson(ContainerSpec.builder(IMAGE).build()));
    }

    @Test
    void fromJson_absentOrNullConfig_isTheDefaultSpec() {
        assertThat(read("null")).isEqualTo(ContainerSpec.builder(IMAGE).buildAsReported());
        assertThat(ContainerConfigMapper.fromJson(JsonInput.of(null, "config"), ContainerSpec.builder(IMAGE))
                .buildAsReported()).isEqualTo(ContainerSpec.builder(IMAGE).buildAsReported());
    }

    @Test
    void fromJson_lenientInput_readsAsKantoDoes() {
        // Lower-case enums pass, keys match case-insensitively, unknown keys are ignored, a lower-case
        // propagationMode becomes RPRIVATE, retryTimeout loses its fraction, rootDir is ignored (§3.2).
        ContainerSpec spec = read(GoldenJson.read("descriptor/kanto-config-lenient-input.json").toString());

        GoldenJson.assertMatches("descriptor/kanto-config-lenient-reported.json", ContainerConfigMapper.toJson(spec));
        assertThat(spec.network()).isEqualTo(NetworkMode.HOST);
    }

    @Test
    void fromJson_portWithOnlyHostAndContainerPort_getsKantosDefaults() {
        ContainerSpec spec = read("{\"portMappings\":[{\"hostPort\":5000,\"containerPort\":80}]}");

        assertThat(ContainerConfigMapper.toJson(spec).get("portMappings").toString())
                .isEqualTo("[{\"proto\":\"tcp\",\"hostPort\":5000,\"hostPortEnd\":5000,\"containerPort\":80,"
                        + "\"hostIP\":\"0.0.0.0\"}]");
    }

    @Test
    void toJson_privilegedAndOtherNetworks() {
        ContainerSpec spec = ContainerSpec.builder(IMAGE).privileged(true).network(NetworkMode.parse("container:db"))
                .restartPolicy(RestartPolicy.NO).log(LogConfig.DEFAULT.withDriver("none")).buildAsReported();

        assertThat(ContainerConfigMapper.toJson(spec).toString()).isEqualTo("{\"privileged\":true,"
                + "\"restartPolicy\":{\"type\":\"NO\"},\"networkMode\":\"container:db\","
                + "\"log\":{\"type\":\"NONE\",\"mode\":\"BLOCKING\"}}");
    }

    /** Each unreadable or unacceptable config: the kind (400 or 500 on the wire) and the message with its path. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            "x"                                                      | WRONG_TYPE    | config: expected an object, got the string "x"
            {"portMappings":[{"hostPort":"80","containerPort":80}]}  | WRONG_TYPE    | config.portMappings[0].hostPort: expected a whole number, got the string "80"
            {"portMappings":[{"hostPort":70000,"containerPort":80}]} | WRONG_TYPE    | config.portMappings[0].hostPort: expected a port number from 0 to 65535, got 70000
            {"portMappings":[{"hostPort":80}]}                       | INVALID_VALUE | config.portMappings[0]: container port 0 is not from 1 to 65535
            {"portMappings":[{"hostPort":80,"containerPort":80,"proto":"icmp"}]} | INVALID_VALUE | config.portMappings[0].proto: unsupported protocol icmp (expected tcp, udp or sctp)
            {"restartPolicy":{"type":"sometimes"}}                   | INVALID_VALUE | config.restartPolicy: unsupported restart policy type sometimes
            {"restartPolicy":{"type":"ALWAYS","maxRetryCount":2}}    | INVALID_VALUE | config.restartPolicy: cannot use max retry count when the restart policy is always
            {"restartPolicy":{"type":"ON_FAILURE","maxRetryCount":-1}} | INVALID_VALUE | config.restartPolicy: restart policy max retry count cannot be negative
            {"restartPolicy":{"type":"ON_FAILURE","retryTimeout":-5}} | INVALID_VALUE | config.restartPolicy: restart policy retry timeout cannot be negative
            {"restartPolicy":"always"}                               | WRONG_TYPE    | config.restartPolicy: expected an object, got the string "always"
            {"env":["1BAD=x"]}                                       | INVALID_VALUE | config.env[0]: invalid environmental variable declaration provided : 1BAD=x
            {"env":"A=1"}                                            | WRONG_TYPE    | config.env: expected an array, got the string "A=1"
            {"env":[null]}                                           | WRONG_TYPE    | config.env[0]: expected a string, got null
            {"cmd":[1]}                                              | WRONG_TYPE    | config.cmd[0]: expected a string, got 1
            {"resources":{"memory":"lots"}}                          | INVALID_VALUE | config.resources.memory: invalid format of memory - lots (expected a size such as 500M)
            {"resources":{"memory":"2M"}}                            | INVALID_VALUE | config.resources: minimum memory allowed is 6M
            {"resources":{"memory":"100M","memorySwap":"50M"}}       | INVALID_VALUE | config.resources: swap memory - 50M is less than memory - 100M
            {"log":{"type":"syslog"}}                                | INVALID_VALUE | config.log: unsupported log driver configuration: "syslog" (expected json-file, local or none)
            {"log":{"maxFiles":-1}}                                  | INVALID_VALUE | config.log: max log files cannot be < 1
            {"log":{"mode":"sometimes"}}                             | INVALID_VALUE | config.log.mode: unsupported log mode configuration sometimes (expected BLOCKING or NON_BLOCKING)
            {"log":{"maxSize":"huge"}}                               | INVALID_VALUE | config.log.maxSize: invalid format of max logs size - huge (expected a size such as 500M)
            {"networkMode":"bad mode!"}                              | INVALID_VALUE | config.networkMode: unsupported network mode bad mode! (expected bridge, host, none, container:<name> or a network name)
            {"privileged":"yes"}                                     | WRONG_TYPE    | config.privileged: expected true or false, got the string "yes"
            {"mountPoints":[{"source":"","destination":"/x"}]}       | INVALID_VALUE | config.mountPoints[0]: source and destination must be set for a mount point
            {"extraHosts":["nohost"]}                                | INVALID_VALUE | config.extraHosts[0]: invalid extra host "nohost": expected name:address
            {"extraCapabilities":["NET_ADMIN"]}                      | INVALID_VALUE | config.extraCapabilities: extra capabilities are not supported by Gantry
            {"decryption":{"keys":["k1"]}}                           | INVALID_VALUE | config.decryption.keys: encrypted images are not supported: the Docker engine cannot decrypt them
            """)
    void fromJson_badConfig_isRefusedWithItsPath(String json, DescriptorException.Kind kind, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOfSatisfying(DescriptorException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void restartPolicy_forUpdate() {
        assertThat(ContainerConfigMapper.restartPolicy(JsonInput.of(GoldenJson.parse("{\"type\":\"ALWAYS\"}"),
                "restartPolicy"))).contains(RestartPolicy.ALWAYS);
        assertThat(ContainerConfigMapper.restartPolicy(JsonInput.of(null, "restartPolicy"))).isEmpty();
        assertThat(ContainerConfigMapper.restartPolicyJson(RestartPolicy.ALWAYS).toString())
                .isEqualTo("{\"type\":\"ALWAYS\"}");
    }
}
