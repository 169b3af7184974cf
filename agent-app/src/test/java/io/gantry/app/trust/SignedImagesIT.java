package io.gantry.app.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.cli.CliRun;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.CosignRegistry;
import io.gantry.app.testing.DittoProbe;
import io.gantry.app.testing.LoopbackTls;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.app.testing.TwinTestbed;
import io.gantry.app.testing.UpdateFixture;
import io.gantry.core.signature.CosignSigning;
import io.gantry.core.signature.CosignVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cosign signatures against a real registry (Debian's {@code docker-registry} with TLS, from a CA made here, and
 * htpasswd) holding images pushed with {@code docker push} and signed here in cosign's layout with keys made here,
 * and one real agent on a dockerd of the class's own: each row of the issue's matrix deployed from a descriptor file,
 * an unsigned image refused on the other three paths that create containers (desired state, Ditto {@code create},
 * {@code gantry create}), then a moved tag, then the registry gone and the agent restarted. Images pushed from the
 * machine's dockerd are named {@code <registry>/gantry-sigit-<run>/…} and only those are removed there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignedImagesIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = "gantry";
    private static final String PASSWORD = "sig-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final String RUN = Long.toHexString(System.nanoTime());
    private static final KeyPair SIGNER = CosignSigning.ecdsa();
    private static final KeyPair LOG = CosignSigning.ecdsa();

    private static Path dir;
    private static Path descriptors;
    private static CosignRegistry registry;
    private static DittoProbe cloud;
    private static AgentUnderTest agent;
    private static String config;
    private static CosignSigning.Pki pki;
    private static LoopbackTls tls;
    /** Repository name → the manifest digest its tag 1 names. */
    private static final Map<String, String> digests = new LinkedHashMap<>();

    /** One row: a repository, how it is signed, and the refusal expected (empty: deployed). */
    record Row(String repository, String why) {
        @Override
        public String toString() {
            return repository;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("valid", ""),
                new Row("rsa-valid", ""),
                new Row("cert-valid", ""),
                new Row("log-valid", ""),
                new Row("unsigned", "the image is not signed (its repository has no sha256-%s.sig)"),
                new Row("wrong-key", "the signature does not verify against %2$s.key (signed with another key, or"
                        + " the payload was changed)"),
                new Row("other-digest", "the signed payload names digest sha256:" + "0".repeat(64)
                        + ", not this image's"),
                new Row("tampered", "the signature does not verify against %2$s.key (signed with another key, or"
                        + " the payload was changed)"),
                new Row("broken-base64", "the signature annotation is not base64"),
                new Row("log-bad-set", "the transparency log's signed entry timestamp does not verify against the"
                        + " log's key"),
                new Row("cert-stranger", "the signature's certificate does not chain to %2$s.certificate: "));
    }

    @BeforeAll
    static void rig() throws Exception {
        TestImages.ensureBusybox(null);
        dir = Files.createDirectories(fixture.dir().resolve("sigit"));
        descriptors = Files.createDirectories(dir.resolve("containers"));
        tls = LoopbackTls.make(dir.resolve("tls"));
        registry = CosignRegistry.start(dir, USER, PASSWORD, "gantry-sigit-" + RUN, Optional.of(tls));
        Path cosignPub = Files.writeString(dir.resolve("cosign.pub"), CosignSigning.pem(SIGNER.getPublic()));
        Path rsaPub = dir.resolve("rsa.pub");
        KeyPair rsa = CosignSigning.rsa();
        Files.writeString(rsaPub, CosignSigning.pem(rsa.getPublic()));
        Path logPub = Files.writeString(dir.resolve("log.pub"), CosignSigning.pem(LOG.getPublic()));
        pki = CosignSigning.Pki.make(dir.resolve("pki"));
        Path ca = Files.writeString(dir.resolve("ca.pem"), CosignSigning.pem(pki.root()));

        for (String repository : List.of("valid", "rsa-valid", "cert-valid", "log-valid", "unsigned", "wrong-key",
                "other-digest", "tampered", "broken-base64", "log-bad-set", "cert-stranger", "moved", "offline")) {
            digests.put(repository, registry.push(repository, TestImages.BUSYBOX));
        }
        for (String repository : List.of("valid", "moved", "offline")) {
            registry.sign(repository, digests.get(repository), SIGNER);
        }
        registry.sign("rsa-valid", digests.get("rsa-valid"), rsa);
        registry.sign("wrong-key", digests.get("wrong-key"), CosignSigning.ecdsa());
        byte[] other = CosignSigning.payload(repository("other-digest"), "sha256:" + "0".repeat(64));
        layer("other-digest", other, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(SIGNER.getPrivate(), other)));
        byte[] good = CosignSigning.payload(repository("tampered"), digests.get("tampered"));
        byte[] tampered = new String(good, StandardCharsets.UTF_8).replace("\"optional\":null", "\"optional\":{}")
                .getBytes(StandardCharsets.UTF_8);
        layer("tampered", tampered, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(SIGNER.getPrivate(), good)));
        byte[] plain = CosignSigning.payload(repository("broken-base64"), digests.get("broken-base64"));
        layer("broken-base64", plain, Map.of(CosignVerifier.SIGNATURE, "MEUCIQ%%not-base64"));
        signLogged("log-valid", LOG);
        signLogged("log-bad-set", CosignSigning.ecdsa());
        byte[] certified = CosignSigning.payload(repository("cert-valid"), digests.get("cert-valid"));
        layer("cert-valid", certified, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(pki.leafKey(), certified),
                CosignVerifier.CERTIFICATE, CosignSigning.pem(pki.leaf()),
                CosignVerifier.CHAIN, CosignSigning.pem(pki.root())));
        CosignSigning.Pki stranger = CosignSigning.Pki.make(dir.resolve("stranger"));
        byte[] strange = CosignSigning.payload(repository("cert-stranger"), digests.get("cert-stranger"));
        layer("cert-stranger", strange, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(stranger.leafKey(), strange),
                CosignVerifier.CERTIFICATE, CosignSigning.pem(stranger.leaf())));

        String base = registry.address() + "/gantry-sigit-" + RUN + "/";
        config = "{\"connection\": {\"broker_url\": \"" + fixture.broker().url() + "\", \"client_id\":"
                + " \"gantry-sigit-" + RUN + "\"},\n"
                + "\"engine\": {\"host\": \"" + fixture.engine().host() + "\", \"pull_retries\": 1,"
                + " \"pull_stall_timeout\": \"10s\"},\n"
                + "\"things\": " + TwinTestbed.kantoDevice("ContainerFactory") + ",\n"
                + "\"update_agent\": {\"settle_time\": \"1s\"},\n"
                // Gantry's client verifies the registry with the CA; dockerd, for 127.0.0.0/8, does not verify.
                + "\"registries\": {\"" + registry.address() + "\": {\"credentials\": {\"user_id\": \"" + USER
                + "\", \"password\": \"" + PASSWORD + "\"}, \"transport\": {\"root_ca\": \"" + tls.ca() + "\"}}},\n"
                + "\"deployment\": {\"directory\": \"" + descriptors + "\"},\n"
                + "\"trust\": {\"signatures\": {\n"
                + "  \"" + base + "*\": {\"key\": \"" + cosignPub + "\"},\n"
                + "  \"" + base + "rsa-*\": {\"key\": \"" + rsaPub + "\"},\n"
                + "  \"" + base + "cert-*\": {\"certificate\": \"" + ca + "\"},\n"
                + "  \"" + base + "log-*\": {\"key\": \"" + cosignPub + "\", \"tlog_key\": \"" + logPub + "\"}}},\n"
                + "\"state_dir\": \"" + dir.resolve("state") + "\"}\n";
        cloud = DittoProbe.connect(fixture.broker().port(), TwinTestbed.KANTO);
        agent = AgentUnderTest.start(dir.resolve("agent"), config);
        cloud.awaitEvent(e -> DittoProbe.path(e).equals("/features/ContainerFactory"));
    }

    /** The fixture removes the engine with the containers, the broker and the directory. */
    @AfterAll
    static void tearDown() {
        if (cloud != null) {
            cloud.close();
        }
        if (agent != null) {
            agent.close();
        }
        String images = Processes.docker(null, "images", "-q", "--filter", "reference=*/gantry-sigit-" + RUN + "/*");
        if (!images.isBlank()) {
            Processes.attempt(Map.of(), Stream.concat(Stream.of("docker", "rmi", "-f"),
                    Stream.of(images.split("\\s+")).distinct()).toArray(String[]::new));
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static String repository(String name) {
        return registry.repository(name);
    }

    private static void layer(String name, byte[] payload, Map<String, String> annotations) {
        registry.layer(name, digests.get(name), payload, annotations);
    }

    private static void signLogged(String name, KeyPair log) {
        byte[] payload = CosignSigning.payload(repository(name), digests.get(name));
        String signature = CosignSigning.sign(SIGNER.getPrivate(), payload);
        layer(name, payload, Map.of(CosignVerifier.SIGNATURE, signature, CosignVerifier.BUNDLE, CosignSigning.bundle(
                log.getPrivate(), payload, signature, CosignSigning.pem(SIGNER.getPublic()), 1_700_000_000L)));
    }

    private static String container(String name) {
        return "gantry-sigit-" + RUN + "-" + name;
    }

    private static Path describe(String file, String name, String repositoryName) throws Exception {
        return Files.writeString(descriptors.resolve(file), "{\"container_name\": \"" + container(name)
                + "\", \"image\": {\"name\": \"" + repository(repositoryName) + ":1\"}}");
    }

    /** The reference the engine created the container from ({@code Config.Image}), once it exists. */
    private static String createdFrom(String name) {
        await().atMost(WAIT).until(() -> fixture.engine().inspect(container(name)) != null);
        return fixture.engine().inspect(container(name)).at("/Config/Image").asText();
    }

    /** How every path words the refusal of the unsigned image by its tag. */
    private static String unsignedRefusal() {
        String digest = digests.get("unsigned");
        return "refused by " + rule("unsigned") + ": the image is not signed (its repository has no sha256-"
                + digest.substring("sha256:".length()) + ".sig) (image " + repository("unsigned") + ":1, digest "
                + digest + ")";
    }

    /** The agent's engine has neither the repository's pushed digest nor a container made from the repository. */
    private static void nothingPulledOrCreated(String repositoryName) {
        String pushed = repository(repositoryName) + "@" + digests.get(repositoryName);
        assertThat(fixture.engine().attempt("image", "inspect", pushed).exitCode()).as("pulled " + pushed).isNotZero();
        assertThat(fixture.engine().inspectAll().values()).as("created").noneSatisfy(c -> assertThat(
                c.at("/Config/Image").asText()).startsWith(repository(repositoryName)));
    }

    private static String rule(String repositoryName) {
        String base = registry.address() + "/gantry-sigit-" + RUN + "/";
        String pattern = repositoryName.startsWith("rsa-") ? "rsa-*" : repositoryName.startsWith("cert-") ? "cert-*"
                : repositoryName.startsWith("log-") ? "log-*" : "*";
        return "trust.signatures[\"" + base + pattern + "\"]";
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachRow_isDeployedFromItsVerifiedDigest_orRefusedNamingRuleImageDigestAndWhy(Row row) throws Exception {
        String digest = digests.get(row.repository());
        describe(row.repository() + ".json", row.repository(), row.repository());
        if (row.why().isEmpty()) {
            assertThat(createdFrom(row.repository())).isEqualTo(repository(row.repository()) + "@" + digest);
            return;
        }
        String why = String.format(row.why(), digest.substring("sha256:".length()), rule(row.repository()));
        String expected = "Descriptor file " + row.repository() + ".json: container " + container(row.repository())
                + " is not deployed: refused by " + rule(row.repository()) + ": " + why;
        await().atMost(WAIT).untilAsserted(() -> assertThat(agent.errors()).anySatisfy(e -> assertThat(e)
                .contains(expected).contains("(image " + repository(row.repository()) + ":1, digest " + digest + ")")));
        nothingPulledOrCreated(row.repository());
    }

    @Order(2)
    @Test
    void theRegistryRefusesPlainHttp_soDockerPushedAndPulledOverTls() throws Exception {
        HttpResponse<String> plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create("http://" + registry.address() + "/v2/")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).contains("Client sent an HTTP request to an HTTPS server");
        assertThat(createdFrom("valid")).as("pulled by the agent's engine").startsWith(repository("valid") + "@");
    }

    @Order(2)
    @Test
    void aDesiredState_ofAnUnsignedImage_failsIdentification_andNothingIsPulledOrCreated() {
        String activity = fixture.send(UpdateFixture.payload(UpdateFixture.component(container("desired"), "1",
                "image", repository("unsigned") + ":1")));

        JsonNode end = fixture.awaitEnd(activity);

        assertThat(end.path("status").asText()).isEqualTo("IDENTIFICATION_FAILED");
        assertThat(end.path("message").asText()).isEqualTo("Container " + container("desired") + " "
                + unsignedRefusal());
        nothingPulledOrCreated("unsigned");
    }

    @Order(2)
    @Test
    void aDittoCreate_ofAnUnsignedImage_is403NamingTheRule_andNothingIsPulledOrCreated() {
        DittoProbe.Reply reply = cloud.command("create", "ContainerFactory", "{\"imageRef\": \""
                + repository("unsigned") + ":1\", \"start\": true}");

        assertThat(reply.topicStatus()).isEqualTo(403);
        assertThat(reply.value().path("error").asText()).isEqualTo("messages:execution.failed");
        assertThat(reply.value().path("message").asText()).isEqualTo(unsignedRefusal());
        nothingPulledOrCreated("unsigned");
    }

    @Order(2)
    @Test
    void gantryCreate_ofAnUnsignedImage_printsOneLine_exits77_andNothingIsPulledOrCreated() {
        CliRun run = CliRun.onDocker("--config", agent.configFile().toString(), "create", "--name",
                container("cli"), repository("unsigned") + ":1");

        assertThat(run.exit()).isEqualTo(77);
        assertThat(run.err()).isEqualTo("gantry: " + unsignedRefusal() + "\n");
        assertThat(run.out()).isEmpty();
        nothingPulledOrCreated("unsigned");
    }

    @Order(3)
    @Test
    void aTagMovedAfterVerification_theContainerStillRunsTheVerifiedDigest() throws Exception {
        String verified = digests.get("moved");
        describe("moved.json", "moved", "moved");
        assertThat(createdFrom("moved")).isEqualTo(repository("moved") + "@" + verified);

        Path context = Files.createDirectories(dir.resolve("moved-image"));
        Files.writeString(context.resolve("Dockerfile"), "FROM " + TestImages.BUSYBOX + "\nLABEL moved=" + RUN + "\n");
        registry.docker("build", "-q", "-t", repository("moved") + ":other", context.toString());
        String moved = registry.push("moved", repository("moved") + ":other");
        assertThat(moved).isNotEqualTo(verified);

        describe("moved-again.json", "moved-again", "moved");
        await().atMost(WAIT).untilAsserted(() -> assertThat(agent.errors()).anySatisfy(e -> assertThat(e)
                .contains("container " + container("moved-again") + " is not deployed: refused by " + rule("moved")
                        + ": the image is not signed").contains("digest " + moved + ")")));
        assertThat(fixture.engine().inspect(container("moved")).at("/Config/Image").asText())
                .isEqualTo(repository("moved") + "@" + verified);
        String twinImage = fixture.engine().inspect(container("moved")).at("/Config/Labels/io.gantry.spec").asText();
        assertThat(twinImage).as("the container still reports the tag").contains("\"image\":\"" + repository("moved")
                + ":1\"");
    }

    @Order(4)
    @Test
    void theRegistryGone_anAgentRestartDeploysTheRememberedDigest() throws Exception {
        String verified = digests.get("offline");
        describe("offline.json", "offline", "offline");
        assertThat(createdFrom("offline")).isEqualTo(repository("offline") + "@" + verified);

        agent.close();
        agent = null;
        fixture.engine().docker("rm", "-f", container("offline"));
        registry.close();
        agent = AgentUnderTest.start(dir.resolve("agent"), config);

        assertThat(createdFrom("offline")).isEqualTo(repository("offline") + "@" + verified);
        assertThat(agent.warnings()).anySatisfy(w -> assertThat(w).contains("Cannot resolve " + repository("offline")
                + ":1").contains("using the digest " + verified));
    }
}
