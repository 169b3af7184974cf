package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartPolicyTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            no              | NO             | 0 | no
            always          | ALWAYS         | 0 | always
            unless-stopped  | UNLESS_STOPPED | 0 | unless-stopped
            UNLESS_STOPPED  | UNLESS_STOPPED | 0 | unless-stopped
            on-failure      | ON_FAILURE     | 0 | on-failure
            ON_FAILURE      | ON_FAILURE     | 0 | on-failure
            On-Failure      | ON_FAILURE     | 0 | on-failure
            on-failure:3    | ON_FAILURE     | 3 | on-failure:3
            on-failure:0    | ON_FAILURE     | 0 | on-failure
            ' always '      | ALWAYS         | 0 | always
            ''              | NO             | 0 | no
            """)
    void parse_dockerAndKantoSpellings(String text, RestartPolicy.Kind kind, int retries, String printed) {
        RestartPolicy policy = RestartPolicy.parse(text);
        assertThat(policy.kind()).isEqualTo(kind);
        assertThat(policy.maxRetries()).isEqualTo(retries);
        assertThat(policy).hasToString(printed);
        assertThat(RestartPolicy.parse(policy.toString())).isEqualTo(policy);
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', textBlock = """
            sometimes       | unsupported restart policy type sometimes
            always:3        | unsupported restart policy type always:3 (only on-failure takes a maximum retry count)
            on-failure:x    | invalid restart policy on-failure:x: the maximum retry count must be a whole number (on-failure:3)
            on-failure:     | invalid restart policy on-failure:: the maximum retry count must be a whole number (on-failure:3)
            on-failure:-1   | restart policy max retry count cannot be negative
            """)
    void parse_rejectsWithKantosMessages(String text, String message) {
        assertThatThrownBy(() -> RestartPolicy.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void parse_null_isRejected() {
        assertThatThrownBy(() -> RestartPolicy.parse(null)).hasMessage("unsupported restart policy type null");
    }

    @Test
    void negativeRetriesAndTimeout_areRejectedWithKantosMessages() {
        assertThatThrownBy(() -> RestartPolicy.onFailure(-1, Duration.ZERO))
                .hasMessage("restart policy max retry count cannot be negative");
        assertThatThrownBy(() -> RestartPolicy.onFailure(1, Duration.ofSeconds(-5)))
                .hasMessage("restart policy retry timeout cannot be negative");
    }

    @Test
    void retriesAndTimeout_onlyMeanSomethingForOnFailure() {
        assertThat(new RestartPolicy(RestartPolicy.Kind.ALWAYS, 3, Duration.ofSeconds(30))).isEqualTo(RestartPolicy.ALWAYS);
        RestartPolicy onFailure = RestartPolicy.onFailure(3, Duration.ofSeconds(30));
        assertThat(onFailure.maxRetries()).isEqualTo(3);
        assertThat(onFailure.retryTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(RestartPolicy.of(RestartPolicy.Kind.NO)).isEqualTo(RestartPolicy.NO);
    }
}
