package io.gantry.app.mqtt;

import static io.gantry.app.mqtt.TestPki.openssl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Keys and certificates as the {@code openssl} command writes them, in every form an operator may have. */
class TlsMaterialTest {

    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void makeCertificates() {
        pki = TestPki.create(dir);
    }

    static Stream<Arguments> keyForms() {
        return Stream.of(
                Arguments.of("PKCS#8 RSA", List.of("genpkey", "-algorithm", "RSA", "-out", "key.pem")),
                Arguments.of("PKCS#1 RSA", List.of("genrsa", "-traditional", "-out", "key.pem", "2048")),
                Arguments.of("SEC1 EC with parameters", List.of("ecparam", "-genkey", "-name", "prime256v1",
                        "-out", "key.pem")),
                Arguments.of("SEC1 EC P-384", List.of("ecparam", "-genkey", "-name", "secp384r1", "-noout",
                        "-out", "key.pem")),
                Arguments.of("PKCS#8 EC", List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-out", "key.pem")),
                Arguments.of("PKCS#8 Ed25519", List.of("genpkey", "-algorithm", "ed25519", "-out", "key.pem")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keyForms")
    void from_clientKeyInAnyPlainForm_matchesItsCertificate(String form, List<String> generate) throws Exception {
        Path keyDir = Files.createTempDirectory(dir, "key");
        openssl(keyDir, generate.toArray(String[]::new));
        openssl(keyDir, "req", "-x509", "-new", "-key", "key.pem", "-out", "cert.pem", "-days", "1",
                "-subj", "/CN=" + form.replace('#', '-'));

        TlsMaterial material = TlsMaterial.from(new TlsConfig("", keyDir.resolve("cert.pem").toString(),
                keyDir.resolve("key.pem").toString()));

        X509KeyManager keys = (X509KeyManager) material.keys().orElseThrow().getKeyManagers()[0];
        assertThat(keys.getPrivateKey("client")).isNotNull();
        assertThat(keys.getCertificateChain("client")).hasSize(1);
        assertThat(material.trust()).isEmpty();
    }

    @Test
    void from_rootCa_trustsExactlyThatCa() {
        TlsMaterial material = TlsMaterial.from(new TlsConfig(pki.caCert().toString(), "", ""));

        X509TrustManager trust = (X509TrustManager) material.trust().orElseThrow().getTrustManagers()[0];
        assertThat(trust.getAcceptedIssuers()).singleElement()
                .satisfies(ca -> assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=Gantry Test CA"));
        assertThat(material.keys()).isEmpty();
    }

    @Test
    void from_clientCertWithChain_keepsTheWholeChain() throws Exception {
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, Files.readString(pki.clientCert()) + Files.readString(pki.caCert()));

        TlsMaterial material = TlsMaterial.from(new TlsConfig("", chain.toString(), pki.clientKey().toString()));

        X509KeyManager keys = (X509KeyManager) material.keys().orElseThrow().getKeyManagers()[0];
        assertThat(keys.getCertificateChain("client")).hasSize(2);
    }

    @Test
    void from_keyOfAnotherCertificate_isRejectedNamingBothFiles() {
        TlsConfig config = new TlsConfig("", pki.clientCert().toString(), pki.serverKey().toString());

        assertThatThrownBy(() -> TlsMaterial.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("client_key " + pki.serverKey())
                .hasMessageContaining("is not the key of the certificate");
    }

    static Stream<Arguments> encryptedKeys() {
        return Stream.of(
                Arguments.of("PKCS#8", List.of("genpkey", "-algorithm", "RSA", "-aes256", "-pass", "pass:secret",
                        "-out", "enc.pem")),
                Arguments.of("PKCS#1", List.of("genrsa", "-traditional", "-aes256", "-passout", "pass:secret",
                        "-out", "enc.pem", "2048")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encryptedKeys")
    void from_encryptedKey_isRejectedWithAHint(String form, List<String> generate) throws Exception {
        Path keyDir = Files.createTempDirectory(dir, "enc");
        openssl(keyDir, generate.toArray(String[]::new));

        assertThatThrownBy(() -> TlsMaterial.from(new TlsConfig("", pki.clientCert().toString(),
                keyDir.resolve("enc.pem").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted private key")
                .hasMessageContaining("openssl pkey");
    }

    @Test
    void from_missingFile_namesTheSettingAndThePath() {
        assertThatThrownBy(() -> TlsMaterial.from(new TlsConfig("/nonexistent/ca.pem", "", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connection.transport.root_ca /nonexistent/ca.pem does not exist");
    }

    @Test
    void from_fileWithoutCertificate_saysSo() {
        assertThatThrownBy(() -> TlsMaterial.from(new TlsConfig(pki.clientKey().toString(), "", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connection.transport.root_ca")
                .hasMessageContaining("holds no PEM certificate");
    }

    @Test
    void from_fileWithoutKey_saysSo() {
        assertThatThrownBy(() -> TlsMaterial.from(new TlsConfig("", pki.clientCert().toString(),
                pki.caCert().toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connection.transport.client_key")
                .hasMessageContaining("holds no PEM private key");
    }

    @Test
    void from_certWithoutKey_isRejected() {
        assertThatThrownBy(() -> TlsMaterial.from(new TlsConfig("", pki.clientCert().toString(), "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be set together");
    }

    @Test
    void from_nothingConfigured_usesTheJvmDefaults() {
        TlsMaterial material = TlsMaterial.from(TlsConfig.NONE);

        assertThat(material.trust()).isEmpty();
        assertThat(material.keys()).isEmpty();
    }
}
