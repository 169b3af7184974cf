package io.gantry.app.testing;

import io.gantry.core.signature.CosignSigning;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made for one test and a server certificate it issued for 127.0.0.1 (an IP SAN: clients
 * match an address against those), made with the JDK's {@code keytool}: the CA as a PEM file for a client's
 * {@code root_ca}, the server's certificate and PKCS#8 key as PEM files for a server such as {@code docker-registry},
 * and TLS contexts for a JDK server and for a client that trusts only the CA.
 */
public record LoopbackTls(Path ca, Path certificate, Path key, SSLContext server, SSLContext client) {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    /** Makes them in {@code dir} (created when missing), valid for a day. */
    public static LoopbackTls make(Path dir) throws IOException, GeneralSecurityException {
        Path pki = Files.createDirectories(dir);
        CosignSigning.Pki.keytool(pki, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=Registry Test CA", "-ext", "bc:c", "-validity", "1");
        CosignSigning.Pki.keytool(pki, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=127.0.0.1", "-validity", "1");
        CosignSigning.Pki.keytool(pki, "-certreq", "-alias", "server", "-file", pki.resolve("server.csr").toString());
        CosignSigning.Pki.keytool(pki, "-gencert", "-alias", "ca", "-infile", pki.resolve("server.csr").toString(),
                "-outfile", pki.resolve("server.crt").toString(), "-rfc", "-ext", "san=ip:127.0.0.1", "-ext",
                "eku=serverAuth", "-validity", "1");
        CosignSigning.Pki.keytool(pki, "-importcert", "-alias", "server", "-file", pki.resolve("server.crt").toString());
        CosignSigning.Pki.keytool(pki, "-exportcert", "-rfc", "-alias", "ca", "-file", pki.resolve("ca.pem").toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pki.resolve("pki.p12"))) {
            store.load(in, STORE_PASSWORD);
        }
        // keytool exports no private key: the server's is written from the store, as servers outside the JDK read it.
        PrivateKey serverKey = (PrivateKey) store.getKey("server", STORE_PASSWORD);
        Path key = pki.resolve("server.key");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64,
                "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(serverKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", store.getCertificate("ca"));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);

        store.deleteEntry("ca");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, STORE_PASSWORD);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keys.getKeyManagers(), null, null);
        return new LoopbackTls(pki.resolve("ca.pem"), pki.resolve("server.crt"), key, server, client);
    }
}
