package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RestartPolicy.parse reads Docker's {@code on-failure:N}, the form toString writes. */
class RestartPolicyOnFailureParseTest {

    @ParameterizedTest
    @CsvSource({"on-failure:3, 3", "ON_FAILURE:0, 0", "on-failure, 0"})
    void parse_onFailureWithRetries(String text, int retries) {
        assertThat(RestartPolicy.parse(text)).isEqualTo(RestartPolicy.onFailure(retries, Duration.ZERO));
    }

    @ParameterizedTest
    @ValueSource(strings = {"no", "always", "unless-stopped", "on-failure", "on-failure:5"})
    void parse_readsWhatToStringWrites(String text) {
        assertThat(RestartPolicy.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sometimes | unsupported restart policy type sometimes",
            "always:3 | unsupported restart policy type always:3 (expected no, always, unless-stopped, on-failure or on-failure:<max-retries>)",
            "on-failure:x | unsupported restart policy type on-failure:x (expected no, always, unless-stopped, on-failure or on-failure:<max-retries>)",
            "on-failure:-1 | unsupported restart policy type on-failure:-1 (expected no, always, unless-stopped, on-failure or on-failure:<max-retries>)"})
    void parse_rejectsWithTheValue(String text, String message) {
        assertThatThrownBy(() -> RestartPolicy.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
