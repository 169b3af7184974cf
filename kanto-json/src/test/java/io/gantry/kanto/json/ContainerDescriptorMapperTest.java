package io.gantry.kanto.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.golden.GoldenJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerDescriptorMapperTest {

    private static ContainerSpec parse(String json) {
        return ContainerDescriptorMapper.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parse_kantosExample_getsKantosDefaults() {
        ContainerSpec spec = ContainerDescriptorMapper.parse(GoldenJson.bytes("descriptor/descriptor-influxdb.json"));

        assertThat(spec).isEqualTo(ContainerSpec.builder(ImageRef.parse("docker.io/library/influxdb:1.8.4"))
                .name(new ContainerName("influxdb")).restartPolicy(RestartPolicy.UNLESS_STOPPED).build());
        GoldenJson.assertMatches("descriptor/descriptor-influxdb-reported.json", ContainerDescriptorMapper.toJson(spec));
    }

    @Test
    void fullDescriptor_roundTrips() {
        ContainerSpec spec = ContainerDescriptorMapper.parse(GoldenJson.bytes("descriptor/descriptor-full.json"));

        GoldenJson.assertMatches("descriptor/descriptor-full.json", ContainerDescriptorMapper.toJson(spec));
        assertThat(ContainerDescriptorMapper.fromJson(ContainerDescriptorMapper.toJson(spec))).isEqualTo(spec);
        assertThat(spec.restartPolicy()).isEqualTo(RestartPolicy.onFailure(5, Duration.ofSeconds(30)));
    }

    @Test
    void fullKantoConfigSpec_roundTripsThroughTheDescriptorToo() {
        ContainerSpec spec = ContainerConfigMapperTest.fullSpec();

        assertThat(ContainerDescriptorMapper.fromJson(ContainerDescriptorMapper.toJson(spec))).isEqualTo(spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            30              | 30
            30.5            | 30.5
            30000000000     | 30
            "1m30s"         | 90
            """)
    void retryTimeout_secondsNanosecondsOrGoDuration(String value, String seconds) {
        ContainerSpec spec = parse("{\"image\":{\"name\":\"busybox\"},\"host_config\":{\"restart_policy\":"
                + "{\"type\":\"on-failure\",\"retry_timeout\":" + value + "}}}");

        assertThat(spec.restartPolicy().retryTimeout())
                .isEqualTo(Duration.ofMillis(new java.math.BigDecimal(seconds).movePointRight(3).longValueExact()));
    }

    @Test
    void parse_containerdRuntimeAndUnknownKeys_areIgnored() {
        ContainerSpec spec = parse("{\"container_id\":\"abc\",\"IMAGE\":{\"Name\":\"busybox\"},\"whatever\":1,"
                + "\"host_config\":{\"runtime\":\"io.containerd.runc.v2\"}}");

        assertThat(spec.runtime()).isEmpty();
        assertThat(spec.image()).isEqualTo(ImageRef.parse("busybox"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {not json                                                     | WRONG_TYPE    | not valid JSON
            []                                                            | WRONG_TYPE    | expected a JSON object
            {"image":{"name":"a"}} x                                      | WRONG_TYPE    | not valid JSON
            {}                                                            | INVALID_VALUE | image.name: the containers image configuration is invalid: the image name is empty
            {"image":"busybox"}                                           | WRONG_TYPE    | image: expected an object, got the string "busybox"
            {"image":{"name":"busybox"},"container_name":"bad name!"}     | INVALID_VALUE | container_name: invalid container name format : bad name!
            {"image":{"name":"busybox"},"mount_points":[{"source":"/a","destination":"/b","propagation_mode":"bogus"}]} | INVALID_VALUE | mount_points[0].propagation_mode: propagation mode must be set to one of the supported modes
            {"image":{"name":"busybox"},"host_config":{"restart_policy":{"type":"always","maximum_retry_count":3}}}   | INVALID_VALUE | host_config.restart_policy: cannot use max retry count when the restart policy is always
            {"image":{"name":"busybox"},"host_config":{"network_mode":"host","port_mappings":[{"container_port":80,"host_port":80}]}} | INVALID_VALUE | cannot use port mappings when in host network mode
            {"image":{"name":"busybox"},"host_config":{"privileged":true,"devices":[{"path_on_host":"/dev/a"}]}}     | INVALID_VALUE | cannot create the container as privileged and with specified devices at the same time
            {"image":{"name":"busybox"},"host_config":{"port_mappings":[{"container_port":"80"}]}}                    | WRONG_TYPE    | host_config.port_mappings[0].container_port: expected a whole number
            {"image":{"name":"busybox"},"config":{"labels":{"io.gantry.managed":"false"}}}                            | INVALID_VALUE | config.labels: label io.gantry.managed is reserved for Gantry
            {"image":{"name":"busybox"},"host_config":{"resources":{"cpus":"lots"}}}                                  | INVALID_VALUE | host_config.resources.cpus: invalid cpus "lots"
            """)
    void parse_badDescriptor_isRefusedWithItsPath(String json, DescriptorException.Kind kind, String messageStart) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(DescriptorException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).startsWith(messageStart);
        });
    }
}
