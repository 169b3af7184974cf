package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.RestartPolicy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on every inbound topic (issue 4, "Bad input"): each gets the feedback §3/§7 describe, or where Kanto stays
 * silent an IDENTIFICATION_FAILED when an activity id can be read, and nothing otherwise; no exception escapes to the
 * transport and no container changes.
 */
class MalformedInputTest extends AgentTest {

    private static final String PARSE = "cannot parse the desired state: ";

    private List<String> replies() {
        return h.transport.publishedOn(Harness.FEEDBACK).stream().map(p -> Messages.feedback(p.payload()))
                .filter(f -> !f.activityId().equals("probe")).map(f -> f.activityId() + " " + f.status() + " "
                        + f.message()).toList();
    }

    static Stream<Arguments> inputs() {
        return Stream.of(
                // desired states: unreadable without an activity id → nothing (§7.33)
                Arguments.of(Harness.DESIRED, "not json", List.of()),
                Arguments.of(Harness.DESIRED, "[1,2]", List.of()),
                Arguments.of(Harness.DESIRED, "", List.of()),
                Arguments.of(Harness.DESIRED, "{\"activityId\":5,\"payload\":{}}", List.of()),
                Arguments.of(Harness.DESIRED, "{\"activityId\":\"x\"", List.of()),
                // unreadable with an activity id → IDENTIFICATION_FAILED saying where (Kanto: nothing)
                Arguments.of(Harness.DESIRED, "{\"activityId\":\"m1\",\"timestamp\":\"yesterday\"}",
                        List.of("m1 IDENTIFICATION_FAILED " + PARSE + "timestamp must be a whole number of milliseconds")),
                Arguments.of(Harness.DESIRED, "{\"activityId\":\"m2\",\"payload\":{\"domains\":{}}}",
                        List.of("m2 IDENTIFICATION_FAILED " + PARSE + "payload.domains: expected an array")),
                Arguments.of(Harness.DESIRED, "{\"activityId\":\"m3\",\"payload\":{\"domains\":[{\"id\":\"containers\","
                        + "\"components\":[{\"id\":\"web\",\"config\":[{\"key\":\"image\",\"value\":null},{\"key\":7}]}]}]}}",
                        List.of("m3 IDENTIFICATION_FAILED " + PARSE
                                + "payload.domains[0].components[0].config[1].key: expected a string")),
                // structure (§7.32)
                Arguments.of(Harness.DESIRED, "{\"activityId\":\"m4\"}",
                        List.of("m4 IDENTIFICATION_FAILED one domain expected in desired state specification, but got 0")),
                Arguments.of(Harness.DESIRED, "{\"activityId\":\"m5\",\"payload\":{\"domains\":[{\"id\":\"foo\"}]}}",
                        List.of("m5 IDENTIFICATION_FAILED domain id mismatch - expecting containers, received foo")),
                Arguments.of(Harness.DESIRED, "{\"payload\":{\"domains\":[{\"id\":\"containers\"}]}}",
                        List.of(" IDENTIFICATION_FAILED the desired state has no activityId")),
                // invalid values, unknown baselines (§7.20, §7.47)
                Arguments.of(Harness.DESIRED, new String(desired("m6", component("web", "1", "image",
                        "registry.local/web:1", "restartPolicy", "sometimes")), StandardCharsets.UTF_8),
                        List.of("m6 IDENTIFICATION_FAILED cannot convert desired state components to container"
                                + " configurations: invalid configuration for container web: unsupported restart policy"
                                + " type sometimes")),
                Arguments.of(Harness.DESIRED, new String(desired("m7", component("web", "1", "image",
                        "registry.local/web:1", "mount", "/a:/b:bogus")), StandardCharsets.UTF_8),
                        List.of("m7 IDENTIFICATION_FAILED cannot convert desired state components to container"
                                + " configurations: invalid configuration for container web: invalid mount"
                                + " \"/a:/b:bogus\": propagation mode must be set to one of the supported modes"
                                + " (rprivate, private, rshared, shared, rslave, slave) or ro/rw")),
                Arguments.of(Harness.DESIRED, "{\"activityId\":\"m8\",\"payload\":{\"baselines\":[{\"title\":\"B1\","
                        + "\"components\":[\"containers:nope\"]}],\"domains\":[{\"id\":\"containers\"}]}}",
                        List.of("m8 IDENTIFICATION_FAILED cannot process desired state baselines with containers:"
                                + " problem with baseline B1: cannot find container component containers:nope")),
                // a desired name held by a container Gantry did not create
                Arguments.of(Harness.DESIRED, new String(desired("m9", component("web", "1", "image",
                        "registry.local/web:1"), component("manual", "1", "image", "registry.local/manual:2")),
                        StandardCharsets.UTF_8),
                        List.of("m9 IDENTIFYING ", "m9 IDENTIFICATION_FAILED container manual exists but was not created"
                                + " by Gantry, so a desired state may not replace it: remove or rename it, or give the"
                                + " component another id")),
                // commands are ignored without feedback when they cannot be read or match nothing (§7.42)
                Arguments.of(Harness.COMMAND, "not json", List.of()),
                Arguments.of(Harness.COMMAND, "{\"activityId\":\"c1\",\"payload\":{\"command\":5}}", List.of()),
                Arguments.of(Harness.COMMAND, "{\"activityId\":\"c2\",\"payload\":{\"command\":\"DO\"}}", List.of()),
                Arguments.of(Harness.COMMAND, "{\"activityId\":\"c3\",\"payload\":{\"command\":\"DOWNLOAD\"}}", List.of()),
                Arguments.of(Harness.COMMAND, "{\"activityId\":\"c4\",\"payload\":[]}", List.of()),
                // current-state requests: the payload is not read; without a readable activity id, nothing
                Arguments.of(Harness.GET, "garbage", List.of()),
                Arguments.of(Harness.GET, "{\"activityId\":[]}", List.of()));
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void badInput_getsItsReply_andChangesNoContainer(String topic, String payload, List<String> expected) {
        h = new Harness(stateDir, Harness.auto());
        h.existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        h.fake.withImage("registry.local/manual:1");
        h.fake.start(h.fake.addUnmanaged(ContainerSpec.builder(ImageRef.parse("registry.local/manual:1"))
                .name(new ContainerName("manual")).build()));
        Map<String, String> before = h.snapshot();
        h.start();

        h.transport.deliver(topic, payload);
        // a valid desired state would supersede a valid one still waiting: let the expected replies come first
        Harness.await().until(() -> replies().size() >= expected.size());
        // a valid desired state that changes nothing: once it has ended, the bad input was handled
        h.send(desired("probe", component("web", "1", "image", "registry.local/web:1")));
        h.awaitEnd("probe");

        assertThat(replies()).containsExactlyElementsOf(expected);
        assertThat(h.last("probe").status()).isEqualTo("COMPLETED");
        assertThat(h.snapshot()).isEqualTo(before);
    }
}
