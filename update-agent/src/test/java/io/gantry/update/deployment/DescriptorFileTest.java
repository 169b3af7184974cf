package io.gantry.update.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.PortMapping;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.deployment.DescriptorFile.Descriptor;
import io.gantry.update.deployment.DescriptorFile.Format;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading one descriptor file in either form, and every way a file can be unusable (docs/descriptors.md). */
class DescriptorFileTest {

    private static DescriptorFile parse(String fileName, String json) {
        return DescriptorFile.parse(fileName, json.getBytes(StandardCharsets.UTF_8));
    }

    private static Descriptor valid(String fileName, String json) {
        DescriptorFile file = parse(fileName, json);
        assertThat(file.problem()).isEmpty();
        return file.descriptor().orElseThrow();
    }

    @Test
    void descriptorOverTheWeightBound_isInvalid_notTriedAtEveryStart() {
        DescriptorFile file = parse("big.json", "{\"container_name\": \"big\", \"image\": {\"name\": \"busybox\"},"
                + " \"config\": {\"env\": [\"BIG=" + "x".repeat(5 << 20) + "\"]}}");

        assertThat(file.valid()).isFalse();
        assertThat(file.problem()).startsWith("the container's configuration is too large: 5242901 characters");
    }

    @Test
    void fileOverTheSizeLimit_isNotRead(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("huge.json"), new byte[DescriptorFile.MAX_BYTES + 1]);
        Files.writeString(dir.resolve("ok.json"), "{\"container_name\": \"ok\", \"image\": {\"name\": \"busybox\"}}");

        Snapshot snapshot = Snapshot.read(dir);

        assertThat(snapshot.files().get("huge.json").problem()).isEqualTo("cannot be read: the file is larger than"
                + " 1048576 bytes, the most a descriptor file may hold");
        assertThat(snapshot.files().get("ok.json").valid()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"image\": {\"name\": \"busybox\"}}                                  | true",
        "{\"image\": {\"name\": \"busybox\"}, \"enabled\": true}                | true",
        "{\"image\": {\"name\": \"busybox\"}, \"enabled\": false}               | false",
        "{\"imageRef\": \"busybox\", \"enabled\": false}                        | false"})
    void enabled_isGantrysKeyForKurasEnabled_trueWhenAbsent(String json, boolean enabled) {
        assertThat(valid("web.json", json).enabled()).isEqualTo(enabled);
    }

    @Test
    void enabledOfTheWrongType_isAnError_namingTheKey() {
        assertThat(parse("web.json", "{\"image\": {\"name\": \"busybox\"}, \"enabled\": \"no\"}").problem())
                .startsWith("enabled: ");
    }

    @Test
    void kantoDescriptor_isReadWithItsContainerName() {
        Descriptor d = valid("influx.json", """
                {"container_name": "influxdb", "image": {"name": "docker.io/library/influxdb:1.8.4"},
                 "host_config": {"restart_policy": {"type": "on-failure", "maximum_retry_count": 3,
                                                    "retry_timeout": 30}}}""");

        assertThat(d.format()).isEqualTo(Format.KANTO);
        assertThat(d.container()).isEqualTo(new ContainerName("influxdb"));
        assertThat(d.start()).isTrue();
        assertThat(d.spec()).isEqualTo(ContainerSpec.builder(ImageRef.parse("docker.io/library/influxdb:1.8.4"))
                .name(new ContainerName("influxdb")).restartPolicy(RestartPolicy.onFailure(3, Duration.ofSeconds(30)))
                .build());
    }

    @Test
    void kantoDescriptor_retryTimeoutInNanoseconds_asKantosCodeWroteIt_isReadAsSeconds() {
        Descriptor d = valid("x.json", """
                {"image": {"name": "busybox"}, "host_config": {"restart_policy":
                 {"type": "on-failure", "retry_timeout": 30000000000}}}""");

        assertThat(d.spec().restartPolicy().retryTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void createWithConfigArguments_areRead_startDefaultsToTrue() {
        Descriptor d = valid("web.json", """
                {"imageRef": "docker.io/library/httpd:2.4", "name": "frontend",
                 "config": {"portMappings": [{"hostPort": 8080, "containerPort": 80}],
                            "restartPolicy": {"type": "ALWAYS"}}}""");

        assertThat(d.format()).isEqualTo(Format.CREATE_WITH_CONFIG);
        assertThat(d.container()).isEqualTo(new ContainerName("frontend"));
        assertThat(d.start()).isTrue();
        assertThat(d.spec().restartPolicy()).isEqualTo(RestartPolicy.ALWAYS);
        assertThat(d.spec().ports()).extracting(PortMapping::hostPort).containsExactly(8080);
    }

    @Test
    void createWithConfigArguments_startFalse_isKept() {
        assertThat(valid("job.json", "{\"imageRef\": \"busybox\", \"start\": false}").start()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Kanto form                | influxdb.json    | {"image": {"name": "influxdb:1.8"}}
            createWithConfig form     | my_app-1.2.json  | {"imageRef": "busybox", "config": {}}
            empty container_name      | influxdb.json    | {"container_name": "", "image": {"name": "influxdb"}}
            null name                 | influxdb.json    | {"name": null, "imageRef": "influxdb"}
            """)
    void withoutAContainerName_theFileNameIsTheContainerName(String form, String fileName, String json) {
        assertThat(valid(fileName, json).container().value()).isEqualTo(fileName.substring(0, fileName.length() - 5));
    }

    @Test
    void sameContent_sameDigest_otherContent_otherDigest() {
        String json = "{\"imageRef\": \"busybox\"}";
        assertThat(parse("a.json", json).digest()).isEqualTo(parse("b.json", json).digest());
        assertThat(parse("a.json", json + " ").digest()).isNotEqualTo(parse("a.json", json).digest());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            x.json     | ''                                                  | the file is empty
            x.json     | '{"image": {"name": "busybox"}'                     | not valid JSON: Unexpected end-of-input
            x.json     | '{"imageRef": "busybox"} {"imageRef": "nginx"}'     | not valid JSON
            x.json     | '[{"imageRef": "busybox"}]'                         | expected a JSON object, got an array
            x.json     | '{"Image": "busybox"}'                              | image: expected an object, got the string "busybox"
            x.json     | '{"name": "web"}'                                   | expected a Kanto container descriptor ({"image": {"name": "<image>"}, …}) or createWithConfig arguments ({"imageRef": "<image>", "config": {…}})
            x.json     | '{"imageRef": "busybox", "image": {"name": "a"}}'   | has both imageRef (createWithConfig arguments) and image or container_name (Kanto's container descriptor); use one form
            x.json     | '{"imageRef": ""}'                                  | imageRef: must be set (an image reference such as docker.io/library/nginx:1.25)
            x.json     | '{"imageRef": 5}'                                   | imageRef: expected a string, got 5
            x.json     | '{"imageRef": "busybox", "name": "bad name!"}'      | name: invalid container name format : bad name!
            x.json     | '{"imageRef": "busybox", "start": "yes"}'           | start: expected true or false, got the string "yes"
            x.json     | '{"imageRef": "busybox", "config": {"portMappings": [{"hostPort": "80"}]}}' | config.portMappings[0].hostPort: expected
            x.json     | '{"imageRef": "busybox", "config": {"privileged": true, "devices": [{"pathOnHost": "/dev/ttyACM0"}]}}' | cannot create the container as privileged and with specified devices at the same time - choose one of the options
            x.json     | '{"container_name": "a b", "image": {"name": "busybox"}}' | container_name: invalid container name format : a b
            x.json     | '{"image": {"name": ""}}'                           | image.name: the containers image configuration is invalid
            x.json     | '{"image": {"name": "busybox"}, "host_config": {"restart_policy": {"type": "sometimes"}}}' | host_config.restart_policy
            my app.json | '{"image": {"name": "busybox"}}'                   | container_name: not set, and the file name "my app" is not a valid container name (letters, digits, _ . -, not starting with . or -); set container_name
            -x.json    | '{"imageRef": "busybox"}'                           | name: not set, and the file name "-x" is not a valid container name
            """)
    void unusableFile_isReportedWithThePathAndTheExpectedForm(String fileName, String json, String problem) {
        DescriptorFile file = parse(fileName, json);

        assertThat(file.valid()).isFalse();
        assertThat(file.problem()).startsWith(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            web.json        | true
            web.JSON        | false
            .web.json       | false
            web.json.swp    | false
            web.json~       | false
            .json           | false
            web             | false
            """)
    void descriptorNames_areJsonFilesThatAreNotHidden(String name, boolean descriptor) {
        assertThat(DescriptorFile.isDescriptorName(name)).isEqualTo(descriptor);
    }
}
