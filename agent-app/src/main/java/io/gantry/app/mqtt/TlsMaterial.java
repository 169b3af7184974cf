package io.gantry.app.mqtt;

import io.gantry.config.TlsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The trust and key managers for a TLS connection to the broker, built from the PEM files of
 * {@code connection.transport} ({@code root_ca}, {@code client_cert}, {@code client_key}).
 *
 * <p>An empty {@code root_ca} trusts the JVM's default CAs. The client certificate and key come together or not at
 * all; the key is checked against the certificate here, so that a mismatch is reported at start with the file
 * names instead of as an opaque handshake failure later.
 */
public record TlsMaterial(Optional<TrustManagerFactory> trust, Optional<KeyManagerFactory> keys) {

    private static final char[] NO_PASSWORD = new char[0];

    /**
     * Reads the files named by {@code config}.
     *
     * @throws IllegalArgumentException naming the configuration key and the file that cannot be used, and why
     */
    static TlsMaterial from(TlsConfig config) {
        return from("connection.transport", config);
    }

    /** Reads the files of a {@code transport} section that {@code keyPath} names in messages. */
    public static TlsMaterial from(String keyPath, TlsConfig config) {
        if (config.clientCert().isEmpty() != config.clientKey().isEmpty()) {
            throw new IllegalArgumentException(keyPath + ".client_cert and client_key must be set together");
        }
        Optional<TrustManagerFactory> trust = config.rootCa().isEmpty()
                ? Optional.empty() : Optional.of(trustManagers(keyPath, Path.of(config.rootCa())));
        Optional<KeyManagerFactory> keys = config.clientCert().isEmpty() ? Optional.empty()
                : Optional.of(keyManagers(keyPath + ".client", Path.of(config.clientCert()),
                        Path.of(config.clientKey())));
        return new TlsMaterial(trust, keys);
    }

    /** An SSL context of these managers; the JVM's defaults for what is absent. */
    public javax.net.ssl.SSLContext context() {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(keys.map(KeyManagerFactory::getKeyManagers).orElse(null),
                    trust.map(TrustManagerFactory::getTrustManagers).orElse(null), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java runtime has no TLS", e);
        }
    }

    private static TrustManagerFactory trustManagers(String keyPath, Path rootCa) {
        List<X509Certificate> cas = read(keyPath + ".root_ca", rootCa, () -> Pem.certificates(rootCa));
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(keyPath + ".root_ca " + rootCa + " cannot be used: " + e, e);
        }
    }

    /**
     * The key managers of a certificate chain and its key, read from PEM files; {@code keyPrefix} names them in
     * messages ({@code connection.transport.client} for {@code client_cert} and {@code client_key},
     * {@code dashboard.tls} for the dashboard's {@code tls_cert} and {@code tls_key}).
     *
     * @throws IllegalArgumentException naming the key and the file that cannot be used, and why
     */
    public static KeyManagerFactory keyManagers(String keyPrefix, Path certFile, Path keyFile) {
        List<X509Certificate> chain = read(keyPrefix + "_cert", certFile, () -> Pem.certificates(certFile));
        PrivateKey key = read(keyPrefix + "_key", keyFile, () -> Pem.privateKey(keyFile));
        if (!belongTogether(key, chain.get(0))) {
            throw new IllegalArgumentException(keyPrefix + "_key " + keyFile
                    + " is not the key of the certificate in " + keyPrefix + "_cert " + certFile);
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setKeyEntry("client", key, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(keyPrefix + "_cert " + certFile + " and " + keyPrefix + "_key "
                    + keyFile + " cannot be used: " + e, e);
        }
    }

    /** Signs a probe with the key and verifies it with the certificate; unknown key kinds are let through. */
    private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
            return algorithm == null;
        }
        try {
            byte[] probe = "gantry".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read() throws IOException, GeneralSecurityException;
    }

    private static <T> T read(String key, Path file, Reader<T> reader) {
        try {
            return reader.read();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(key + " " + file + " does not exist", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " " + file + " cannot be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + " " + file + " cannot be used: " + e.getMessage(), e);
        }
    }
}
