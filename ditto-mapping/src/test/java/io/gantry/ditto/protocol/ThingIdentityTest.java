package io.gantry.ditto.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @ParameterizedTest
    @ValueSource(strings = {"t/1", "+", "#"})
    void tenantsThatBreakTopics_areRefused(String tenant) {
        assertThatThrownBy(() -> new ThingIdentity("a:b", tenant, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
