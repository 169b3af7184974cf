package io.gantry.app.docker;

import com.github.dockerjava.transport.SSLConfig;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS settings handed to docker-java's httpclient5 transport for an engine on a unix socket, where TLS is never
 * spoken: an {@link SSLContext} that fails every use instead of the JVM's default one.
 *
 * <p>Why: without TLS settings the transport builds the default {@code SSLContext} at construction (the JSSE
 * providers, the crypto policy, every certificate of the system trust store), which took some 60 ms of a
 * {@code gantry ps} run in its own JVM (docs/benchmarks.md, "The CLI against the docker CLI"). The transport uses the
 * context only for {@code https} routes, which a unix-socket host never has; should that change, the first use fails
 * with a clear message rather than connecting without verification.
 */
final class UnixSocketTls implements SSLConfig {

    static final UnixSocketTls INSTANCE = new UnixSocketTls();

    private static final String UNUSED = "TLS is not used for an engine on a unix socket";

    private UnixSocketTls() {
    }

    @Override
    public SSLContext getSSLContext() {
        return new SSLContext(new Unused(), new Provider("gantry-unix-socket", "1", UNUSED) { }, "none") { };
    }

    /** Fails every operation: nothing on a unix socket may ask for TLS. */
    private static final class Unused extends SSLContextSpi {

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException(UNUSED);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new IllegalStateException(UNUSED);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new IllegalStateException(UNUSED);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw new IllegalStateException(UNUSED);
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw new IllegalStateException(UNUSED);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw new IllegalStateException(UNUSED);
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw new IllegalStateException(UNUSED);
        }
    }
}
