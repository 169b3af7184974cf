package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.ByteSize;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LogConfig and Docker's --log-opt vocabulary, both ways. */
class LogConfigDockerOptionsTest {

    @Test
    void withDockerOptions_setsTheFieldsAndKeepsTheRest() {
        LogConfig log = LogConfig.DEFAULT.withDockerOptions(Map.of("max-file", "5", "max-size", "10m",
                "mode", "non-blocking", "max-buffer-size", "2m", "compress", "true"));

        assertThat(log).isEqualTo(new LogConfig("json-file", 5, Optional.of(ByteSize.parse("10m")),
                LogConfig.Mode.NON_BLOCKING, Optional.of(ByteSize.parse("2m")), Map.of("compress", "true")));
    }

    @Test
    void dockerOptions_isTheInverse() {
        LogConfig log = new LogConfig("local", 3, Optional.of(ByteSize.parse("20m")), LogConfig.Mode.NON_BLOCKING,
                Optional.of(ByteSize.parse("4m")), Map.of("compress", "false"));

        assertThat(log.dockerOptions()).isEqualTo(Map.of("max-file", "3", "max-size", "20M", "mode", "non-blocking",
                "max-buffer-size", "4M", "compress", "false"));
        assertThat(LogConfig.DEFAULT.withDriver("local").withRotation(0, Optional.empty())
                .withDockerOptions(log.dockerOptions())).isEqualTo(log);
    }

    @Test
    void dockerOptions_ofDriverNone_hasNoRotationOrMode() {
        LogConfig none = LogConfig.DEFAULT.withDriver("none")
                .withMode(LogConfig.Mode.NON_BLOCKING, Optional.of(ByteSize.parse("1m")));

        assertThat(none.dockerOptions()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "max-file | many | invalid log option max-file=many: expected a number of files",
            "max-size | huge | invalid format of max logs size - huge (e.g. 10m)",
            "max-buffer-size | 1x | invalid format of max buffer size - 1x (e.g. 10m)",
            "mode | fast | unsupported log mode configuration: fast (expected blocking or non-blocking)"})
    void withDockerOptions_rejectsBadValues(String key, String value, String message) {
        assertThatThrownBy(() -> LogConfig.DEFAULT.withDockerOptions(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
