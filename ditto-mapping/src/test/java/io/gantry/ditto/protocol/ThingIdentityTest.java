package io.gantry.ditto.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ThingIdentityTest {

    /** reference/kanto-things.md §1.4, including the odd cases. */
    @ParameterizedTest
    @CsvSource({
            "org.eclipse.kanto:exampleDevice, org.eclipse.kanto:exampleDevice:edge:containers, org.eclipse.kanto, org.eclipse.kanto/exampleDevice:edge:containers",
            "dummy-namespace:dummy-gateway:dummy-device-id, dummy-namespace:dummy-gateway:dummy-device-id:edge:containers, dummy-namespace, dummy-namespace/dummy-gateway:dummy-device-id:edge:containers",
            "a:b:c, a:b:c:edge:containers, a, a/b:c:edge:containers",
            "abc, abc::edge:containers, abc, abc/:edge:containers",
            "demo:gateway, demo:gateway:edge:containers, demo, demo/gateway:edge:containers"})
    void thingIdNamespaceAndTopicPrefix(String deviceId, String thingId, String namespace, String prefix) {
        ThingIdentity identity = new ThingIdentity(deviceId, "t", "");

        assertThat(identity.thingId()).isEqualTo(thingId);
        assertThat(identity.namespace()).isEqualTo(namespace);
        assertThat(identity.topicPrefix()).isEqualTo(prefix);
        assertThat(MqttTopics.events(identity)).isEqualTo("e/t/" + thingId);
        assertThat(MqttTopics.commands(identity)).isEqualTo("command//" + thingId + "/req/#");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "a+b", "a#"})
    void deviceIdsThatBreakTopics_areRefused(String deviceId) {
        assertThatThrownBy(() -> new ThingIdentity(deviceId, "t", "")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Ditto's own ThingId is the oracle: what Gantry accepts, Ditto accepts, and a few of what it refuses. */
    @ParameterizedTest
    @ValueSource(strings = {"1a:b", "a..b:c", "a:b\u0001c", "a:b\u007fc", "a:b\u00e9c", ":gateway", "-a:b", "a:b\u0085"})
    void deviceIdsThatMakeNoDittoThingId_areRefused(String deviceId) {
        assertThatThrownBy(() -> new ThingIdentity(deviceId, "t", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the device id \"");
        if (!deviceId.startsWith(":")) { // Ditto allows an empty namespace; Gantry does not (an empty topic level)
            assertThatThrownBy(() -> ThingId.of(deviceId + ":edge:containers")).isInstanceOf(RuntimeException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"org.eclipse.kanto:exampleDevice", "a-b.c_d:x:y", "abc", "a:b c;d@e$f<g>h", "a:\u0100\u4e2d"})
    void deviceIdsDittoAccepts_areAccepted(String deviceId) {
        ThingIdentity identity = new ThingIdentity(deviceId, "t", "");
        assertThat(ThingId.of(identity.thingId()).toString()).isEqualTo(identity.thingId());
    }

    @Test
    void aDeviceIdThatMakesATopicOverMqttsLimit_isRefused_andShownShortened() {
        String deviceId = "a:" + "b".repeat(65_530);
        assertThatThrownBy(() -> new ThingIdentity(deviceId, "t", ""))
                .hasMessage("the device id and tenant id make MQTT topics of up to 65565 bytes, more than MQTT's 65535");
        assertThatThrownBy(() -> new ThingIdentity("a:b/" + "c".repeat(100), "t", ""))
                .hasMessageContaining("…\" (104 characters) contains '/'");
        // the longest that fits: command//<thingId>/req/# is then exactly 65,535 bytes
        String longest = "a:" + "b".repeat(65_535 - 16 - 1 - "a::edge:containers".length());
        assertThat(MqttTopics.commands(new ThingIdentity(longest, "t", ""))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(65_535);
    }

    @ParameterizedTest
    @ValueSource(strings = {"t/1", "+", "#", "t\u0000", "t\n1"})
    void tenantsThatBreakTopics_areRefused(String tenant) {
        assertThatThrownBy(() -> new ThingIdentity("a:b", tenant, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
