package io.gantry.app.update;

import static io.gantry.app.testing.UpdateFixture.APP_1;
import static io.gantry.app.testing.UpdateFixture.actions;
import static io.gantry.app.testing.UpdateFixture.component;
import static io.gantry.app.testing.UpdateFixture.payload;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.UpdateFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The planner compares the desired spec with the spec the Docker adapter reports, so the adapter must report exactly
 * what it created: every config key of a desired state, applied to the real engine and applied again, must give only
 * CHECK actions and change nothing (reference/kanto-cua.md §7.5, §7.25).
 */
class SpecRoundTripIT {

    private static final String APP = UpdateFixture.APP_1;

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    @BeforeAll
    static void start() {
        // the image a component without an image key names: <id>:<version> (§7.7)
        fixture.engine().build("e2e-img:7", "LABEL e2e.version=7");
        fixture.startAgent("", "");
    }

    @Test
    void everyConfigKey_appliedAgain_givesOnlyCheckActions_andChangesNothing() throws Exception {
        Path bind = Files.createDirectories(fixture.dir().resolve("bind"));
        JsonNode desired = payload(
                component("hosts-env-cmd", "1", "image", APP, "host", "db:10.1.2.3", "host", "gw:host_ip",
                        "env", "X", "env", "Y=", "env", "Z=a=b", "cmd", "sh", "cmd", "-c",
                        "cmd", "trap 'exit 0' TERM; sleep 3600 & wait", "terminal", "true", "interactive", "true"),
                component("host-network", "1", "image", APP, "network", "host"),
                component("devices", "1", "image", APP, "device", "/dev/null:/dev/xnull",
                        "device", "/dev/zero:/dev/xzero:r"),
                component("json-log", "1", "image", APP, "logDriver", "json-file", "logMaxFiles", "3",
                        "logMaxSize", "10m", "logMode", "non-blocking", "logMaxBufferSize", "2m"),
                component("no-log", "1", "image", APP, "logDriver", "none"),
                component("limits", "1", "image", APP, "restartPolicy", "no", "memory", "64m", "memorySwap", "-1",
                        "cpus", "0.5"),
                component("default-swap", "1", "image", APP, "memory", "200M", "memoryReservation", "100M"),
                component("on-failure", "1", "image", APP, "restartPolicy", "on-failure", "restartMaxRetries", "2",
                        "restartTimeout", "1m30s"),
                component("ports", "1", "image", APP, "port", "9090", "port", "127.0.0.1::53/udp"),
                component("mounts", "1", "image", APP, "mount", "e2e-volume:/data", "mount", bind + ":/bind:ro"),
                component("e2e-img", "7"));

        String first = fixture.apply(desired);
        assertThat(actions(fixture.awaitEnd(first), "status")).hasSize(11)
                .allSatisfy((id, status) -> assertThat(status).as(id).isEqualTo("ACTIVATION_SUCCESS"));
        Map<String, JsonNode> before = fixture.engine().inspectAll();

        String again = fixture.apply(desired);

        JsonNode identified = fixture.await(again, "IDENTIFIED");
        assertThat(actions(identified, "message")).as(identified.toString()).hasSize(11).allSatisfy((id, message) ->
                assertThat(message).as(id).isEqualTo(
                        "No changes detected, existing container will be check only if it is running."));
        assertThat(UpdateFixture.differences(before, fixture.engine().inspectAll())).isEmpty();
    }
}
