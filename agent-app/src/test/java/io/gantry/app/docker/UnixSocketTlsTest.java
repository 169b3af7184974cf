package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyManagementException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The TLS settings of a unix-socket engine: any use of TLS fails loudly instead of connecting unverified. */
class UnixSocketTlsTest {

    @Test
    void everyUseOfTheContext_failsWithTheReason() {
        SSLContext context = UnixSocketTls.INSTANCE.getSSLContext();

        assertThatThrownBy(context::getSocketFactory).hasMessageContaining("not used for an engine on a unix socket");
        assertThatThrownBy(context::createSSLEngine).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> context.createSSLEngine("localhost", 443)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(context::getClientSessionContext).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> context.init(null, null, null)).isInstanceOf(KeyManagementException.class);
    }
}
