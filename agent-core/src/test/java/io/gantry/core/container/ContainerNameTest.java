package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContainerNameTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"web,web", "/web,web", "influx_db-1.2,influx_db-1.2", "_hidden,_hidden", "A,A", "9lives,9lives"})
    void parse_kantosRule_andDockersLeadingSlash(String text, String name) {
        assertThat(ContainerName.parse(text)).hasToString(name).isEqualTo(new ContainerName(name));
        assertThat(ContainerName.isValid(name)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "containers:influxdb", "-web", ".web", "my web", "web/1", "//web", "wéb"})
    void parse_rejectsWithKantosMessage(String text) {
        assertThatThrownBy(() -> ContainerName.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid container name format : " + (text.startsWith("/") ? text.substring(1) : text));
        assertThat(ContainerName.isValid(text)).isFalse();
    }

    @Test
    void parse_null_isRejected() {
        assertThatThrownBy(() -> ContainerName.parse(null)).hasMessage("invalid container name format : null");
        assertThat(ContainerName.isValid(null)).isFalse();
    }
}
