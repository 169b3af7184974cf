package io.gantry.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.PolicyConfig;
import io.gantry.config.SignatureRule;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.signature.CosignSigning;
import io.gantry.core.signature.CosignVerifier;
import io.gantry.core.signature.FakeRegistry;
import io.gantry.core.signature.VerifiedDigests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags resolved, verified and pinned through the admitting engine, against a fake registry and engine. */
class ImageVerificationTest {

    private static final String REPO = "reg.example:5000/apps/web";
    private static final String TAG = REPO + ":1";
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);
    private static final KeyPair SIGNER = CosignSigning.ecdsa();

    @TempDir
    Path dir;
    private final FakeRegistry registry = new FakeRegistry();
    private final FakeContainerEngine fake = new FakeContainerEngine();
    private final AtomicReference<TrustConfig> trust = new AtomicReference<>(TrustConfig.DEFAULTS);
    private final List<ContainerRefusedException> refused = new ArrayList<>();
    private Path key;
    private AdmittingEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        key = dir.resolve("cosign.pub");
        Files.writeString(key, CosignSigning.pem(SIGNER.getPublic()));
        engine = agent();
        fake.withRegistryImage(REPO + "@" + D1).withRegistryImage(REPO + "@" + D2);
        registry.tags.put(ImageRef.parse(TAG).canonical(), D1);
    }

    /** An agent's engine over the same state directory: a new one is an agent restart. */
    private AdmittingEngine agent() {
        VerifiedDigests memory = new VerifiedDigests(dir.resolve("state"), Clock.systemUTC());
        Admission admission = new Admission(() -> PolicyConfig.DEFAULTS, trust::get, fake::imageFacts,
                new ImageVerification(registry, memory, fake::imageFacts), refused::add);
        return new AdmittingEngine(fake, admission);
    }

    private void signed(String digest) {
        byte[] payload = CosignSigning.payload(REPO, digest);
        registry.sign(digest, payload, Map.of(CosignVerifier.SIGNATURE, CosignSigning.sign(SIGNER.getPrivate(), payload)));
    }

    private void requireSignatures() {
        trust.set(new TrustConfig(false, List.of(), TrustConfig.STOP,
                Map.of("reg.example:5000/apps/*", new SignatureRule(key.toString(), "", ""))));
    }

    /** What every creating path does: admit, pull unless present, create. */
    private Container deploy(AdmittingEngine e, String name) {
        ContainerSpec spec = ContainerSpec.builder(ImageRef.parse(TAG)).name(new ContainerName(name)).build();
        e.admit(spec);
        e.ensureImage(spec.image(), p -> { });
        ContainerId id = e.create(spec, Map.of());
        return fake.inspect(id).orElseThrow();
    }

    @Test
    void signedTag_isPulledAndCreatedFromTheVerifiedDigest_andStillShowsTheTag() {
        signed(D1);
        requireSignatures();
        Container c = deploy(engine, "web");
        assertThat(c.gantryLabel(ContainerSpec.PINNED_IMAGE_LABEL)).contains(REPO + "@" + D1);
        assertThat(c.image().text()).isEqualTo(TAG);
        assertThat(fake.imagePresent(ImageRef.parse(REPO + "@" + D1))).isTrue();
        assertThat(fake.imagePresent(ImageRef.parse(TAG))).as("the tag itself is never pulled").isFalse();
        assertThat(refused).isEmpty();
    }

    @Test
    void unsignedTag_isRefused_namingRuleImageAndDigest_andNothingIsPulled() {
        requireSignatures();
        assertThatThrownBy(() -> deploy(engine, "web")).isInstanceOf(ContainerRefusedException.class).hasMessage(
                "refused by trust.signatures[\"reg.example:5000/apps/*\"]: the image is not signed (its repository"
                        + " has no sha256-" + "1".repeat(64) + ".sig) (image " + TAG + ", digest " + D1 + ")");
        assertThat(fake.imagePresent(ImageRef.parse(REPO + "@" + D1))).isFalse();
        assertThat(fake.list()).isEmpty();
    }

    @Test
    void tagMovedAfterVerification_theContainerKeepsTheVerifiedDigest_andTheNewDigestIsVerifiedAnew() {
        signed(D1);
        requireSignatures();
        Container first = deploy(engine, "web");
        registry.tags.put(ImageRef.parse(TAG).canonical(), D2); // moved to an unsigned digest
        assertThatThrownBy(() -> deploy(engine, "web2")).isInstanceOf(ContainerRefusedException.class)
                .hasMessageContaining("digest " + D2);
        assertThat(fake.inspect(first.id()).orElseThrow().gantryLabel(ContainerSpec.PINNED_IMAGE_LABEL))
                .contains(REPO + "@" + D1);
    }

    @Test
    void registryDownAfterVerification_theRememberedDigestDeploysAfterARestart_withoutVerifyingAgain() {
        signed(D1);
        requireSignatures();
        deploy(engine, "web");
        registry.down = true;
        int before = registry.calls.get();
        Container again = deploy(agent(), "web-after-restart");
        assertThat(again.gantryLabel(ContainerSpec.PINNED_IMAGE_LABEL)).contains(REPO + "@" + D1);
        assertThat(registry.calls.get() - before).as("only the failed resolution").isEqualTo(1);
    }

    @Test
    void aChangedAnchor_verifiesAgain_soWithTheRegistryDownNothingIsDeployed() throws Exception {
        signed(D1);
        requireSignatures();
        deploy(engine, "web");
        Files.writeString(key, CosignSigning.pem(CosignSigning.ecdsa().getPublic()));
        registry.down = true;
        assertThatThrownBy(() -> deploy(agent(), "web2")).isInstanceOf(ImagePullException.class)
                .hasMessage("registry down");
        registry.down = false;
        assertThatThrownBy(() -> deploy(agent(), "web2")).isInstanceOf(ContainerRefusedException.class)
                .hasMessageContaining("does not verify against");
    }

    @Test
    void allowlist_judgesTheResolvedDigest() {
        trust.set(new TrustConfig(true, List.of(D2), TrustConfig.STOP));
        assertThatThrownBy(() -> deploy(engine, "web")).hasMessage("refused by trust.allowlist: the digest is not in"
                + " the allowlist (image " + TAG + ", digest " + D1 + ")");
        trust.set(new TrustConfig(true, List.of(D1), TrustConfig.STOP));
        assertThat(deploy(engine, "web").gantryLabel(ContainerSpec.PINNED_IMAGE_LABEL)).contains(REPO + "@" + D1);
    }

    @Test
    void aTagTheRegistryDoesNotKnow_butPresentLocally_isJudgedAndCreatedByItsImageId() {
        String local = "reg.example:5000/apps/local:1";
        fake.withImage(local);
        String id = FakeContainerEngine.fakeImageId(ImageRef.parse(local));
        trust.set(new TrustConfig(true, List.of(id), TrustConfig.STOP));
        ContainerSpec spec = ContainerSpec.builder(ImageRef.parse(local)).name(new ContainerName("loaded")).build();
        engine.admit(spec);
        Container c = fake.inspect(engine.create(spec, Map.of())).orElseThrow();
        assertThat(c.gantryLabel(ContainerSpec.PINNED_IMAGE_LABEL)).contains(id);
    }

    @Test
    void neitherEnforcedNorSigned_theRegistryIsNotAsked_andTheTagIsPulled() {
        fake.withRegistryImage(TAG);
        assertThat(deploy(engine, "web").gantryLabel(ContainerSpec.PINNED_IMAGE_LABEL)).isEmpty();
        assertThat(registry.calls.get()).isZero();
    }

    @Test
    void theSameDigestInAnotherRepository_isVerifiedThere_notTakenFromMemory() {
        signed(D1);
        requireSignatures();
        deploy(engine, "web");
        String other = "reg.example:5000/apps/copy";
        registry.tags.put(ImageRef.parse(other + ":1").canonical(), D1);
        ContainerSpec copy = ContainerSpec.builder(ImageRef.parse(other + ":1")).name(new ContainerName("copy")).build();
        assertThatThrownBy(() -> engine.admit(copy)).isInstanceOf(ContainerRefusedException.class)
                .hasMessageContaining("the signed payload is for repository \"" + REPO + "\", not " + other);
    }
}
