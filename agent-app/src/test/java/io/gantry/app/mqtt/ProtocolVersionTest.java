package io.gantry.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolVersionTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(textBlock = """
            3.1.1, MQTT_3_1_1
            ' 3.1.1 ', MQTT_3_1_1
            5, MQTT_5
            5.0, MQTT_5
            """)
    void forName_readsTheConfiguredVersion(String name, ProtocolVersion expected) {
        assertThat(ProtocolVersion.forName(name)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "3", "3.1", "4", "v5", "mqtt5"})
    void forName_otherValue_isRejected(String name) {
        assertThatThrownBy(() -> ProtocolVersion.forName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3.1.1 or 5");
    }
}
