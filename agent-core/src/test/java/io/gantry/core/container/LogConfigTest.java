package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.ByteSize;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogConfigTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"json-file,json-file", "JSON_FILE,json-file", "' local ',local", "none,none", "None,none"})
    void parseDriver_theSupportedDrivers(String text, String driver) {
        assertThat(LogConfig.parseDriver(text)).isEqualTo(driver);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource({"syslog", "journald", "''", "json"})
    void parseDriver_rejectsOthersNamingThem(String text) {
        assertThatThrownBy(() -> LogConfig.parseDriver(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported log driver configuration: \"" + text + "\" (expected json-file, local or none)");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            blocking      | BLOCKING
            non-blocking  | NON_BLOCKING
            NON_BLOCKING  | NON_BLOCKING
            async         | -
            -             | -
            """)
    void modeForName(String text, LogConfig.Mode mode) {
        assertThat(LogConfig.Mode.forName(text)).isEqualTo(Optional.ofNullable(mode));
    }

    @Test
    void defaults_areKantosRotation() {
        assertThat(LogConfig.DEFAULT.driver()).isEqualTo("json-file");
        assertThat(LogConfig.DEFAULT.maxFiles()).isEqualTo(2);
        assertThat(LogConfig.DEFAULT.maxSize()).contains(ByteSize.parse("100M"));
        assertThat(LogConfig.DEFAULT.rotates()).isTrue();
    }

    @Test
    void bufferSize_isDiscardedWhenBlocking_andDefaultedWhenNonBlocking() {
        LogConfig blocking = LogConfig.DEFAULT.withMode(LogConfig.Mode.BLOCKING, Optional.of(ByteSize.parse("5m")));
        assertThat(blocking.maxBufferSize()).isEmpty();
        assertThat(blocking).isEqualTo(LogConfig.DEFAULT);
        LogConfig nonBlocking = LogConfig.DEFAULT.withMode(LogConfig.Mode.NON_BLOCKING, Optional.empty());
        assertThat(nonBlocking.maxBufferSize()).contains(ByteSize.parse("1M"));
    }

    @Test
    void negativeMaxFiles_isRejectedWithKantosMessage() {
        assertThatThrownBy(() -> LogConfig.DEFAULT.withRotation(-1, Optional.empty()))
                .hasMessage("max log files cannot be < 1");
    }

    @Test
    void emptyDriver_isRejected() {
        assertThatThrownBy(() -> LogConfig.DEFAULT.withDriver(" "))
                .hasMessage("unsupported log driver configuration: empty");
    }

    @Test
    void aDriverThatDoesNotRotate_dropsRotation_soThatEqualMeaningIsEqual() {
        LogConfig none = LogConfig.DEFAULT.withDriver("none");
        assertThat(none.rotates()).isFalse();
        assertThat(none.maxFiles()).isZero();
        assertThat(none.maxSize()).isEmpty();
        assertThat(none).isEqualTo(new LogConfig("none", 0, Optional.empty(), LogConfig.Mode.BLOCKING, Optional.empty(),
                Map.of()));
        assertThat(LogConfig.DEFAULT.withDriver("LOCAL").rotates()).isTrue();
        assertThat(LogConfig.DEFAULT.withDriver("Json_File")).isEqualTo(LogConfig.DEFAULT);
    }

    @Test
    void options_areSortedAndCopied() {
        LogConfig c = LogConfig.DEFAULT.withOptions(Map.of("tag", "{{.Name}}", "compress", "true"));
        assertThat(c.options().keySet()).containsExactly("compress", "tag");
    }
}
