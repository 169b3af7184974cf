package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkModeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            bridge          | BRIDGE    | ''        | bridge
            BRIDGE          | BRIDGE    | ''        | bridge
            default         | BRIDGE    | ''        | bridge
            ''              | BRIDGE    | ''        | bridge
            host            | HOST      | ''        | host
            HOST            | HOST      | ''        | host
            none            | NONE      | ''        | none
            container:web   | CONTAINER | web       | container:web
            container:4f2a9 | CONTAINER | 4f2a9     | container:4f2a9
            iot-net         | NAMED     | iot-net   | iot-net
            my_net.2        | NAMED     | my_net.2  | my_net.2
            container       | NAMED     | container | container
            ' host '        | HOST      | ''        | host
            """)
    void parse_modes(String text, NetworkMode.Kind kind, String target, String dockerName) {
        NetworkMode mode = NetworkMode.parse(text);
        assertThat(mode).isEqualTo(new NetworkMode(kind, target));
        assertThat(mode.dockerName()).isEqualTo(dockerName).isEqualTo(mode.toString());
        assertThat(NetworkMode.parse(dockerName)).isEqualTo(mode);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"container:", "my net", "-net", "net/1"})
    void parse_rejectsNamingTheValueAndTheForms(String text) {
        assertThatThrownBy(() -> NetworkMode.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported network mode " + text
                        + " (expected bridge, host, none, container:<name> or a network name)");
    }

    @Test
    void targets_areRequiredExactlyForContainerAndNamedModes() {
        assertThatThrownBy(() -> new NetworkMode(NetworkMode.Kind.CONTAINER, ""))
                .hasMessage("network mode CONTAINER needs target");
        assertThatThrownBy(() -> new NetworkMode(NetworkMode.Kind.HOST, "x"))
                .hasMessage("network mode HOST takes no target");
    }
}
