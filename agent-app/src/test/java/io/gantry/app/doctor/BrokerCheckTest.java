package io.gantry.app.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.ConnectionConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the broker check names why a connection did not come up, from the transport's reason (DoctorIT: for real). */
class BrokerCheckTest {

    private static final ConnectionConfig CONNECTION = ConnectionConfig.DEFAULTS;
    private static final Duration WAIT = Duration.ofSeconds(3);

    @Test
    void noReason_saysNoAnswer() {
        assertThat(BrokerCheck.refused(CONNECTION, WAIT, null).detail())
                .isEqualTo("cannot connect to tcp://localhost:1883 within 3.0 s: no answer");
    }

    @Test
    void refusedCredentials_nameThemAndTheirFix() {
        Finding finding = BrokerCheck.refused(CONNECTION, WAIT,
                "CONNECT failed as CONNACK contained an Error Code: BAD_USER_NAME_OR_PASSWORD");

        assertThat(finding.verdict()).isEqualTo(Finding.Verdict.FAIL);
        assertThat(finding.detail()).contains("the broker refused the credentials", "BAD_USER_NAME_OR_PASSWORD");
        assertThat(finding.fix()).contains("client_password");
    }

    @Test
    void tlsFailure_namesTheHandshakeAndTheTlsFiles() {
        Finding finding = BrokerCheck.refused(CONNECTION, WAIT, "PKIX path building failed");

        assertThat(finding.detail()).contains("the TLS handshake failed (PKIX path building failed)");
        assertThat(finding.fix()).contains("connection.transport.root_ca");
    }

    @Test
    void connectionRefused_saysNothingListens() {
        Finding finding = BrokerCheck.refused(CONNECTION, WAIT, "Connection refused: /127.0.0.1:1883");

        assertThat(finding.detail()).contains("connection refused, nothing listens there");
        assertThat(finding.fix()).startsWith("start the broker");
    }
}
