package io.gantry.bench;

import io.gantry.app.registry.OrasImageRegistry;
import io.gantry.app.testing.CosignRegistry;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import io.gantry.config.AgentConfig;
import io.gantry.config.EngineConfig;
import io.gantry.config.RegistryConfig;
import io.gantry.config.Secret;
import io.gantry.config.SignatureRule;
import io.gantry.config.TlsConfig;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.ImageRef;
import io.gantry.core.policy.ImageVerification;
import io.gantry.core.signature.CosignSigning;
import io.gantry.core.signature.VerifiedDigests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Group "signatures": what verifying a signed image adds to a deployment, against a floor measured in the same run,
 * a plain resolution of the tag (one manifest {@code HEAD} to the registry, which any check by digest needs): the
 * first verification of a digest (resolution, signature manifest, payload blob, ECDSA check) and the check from the
 * remembered digest (resolution, then the verified digest found in memory). A local {@code docker-registry} with
 * htpasswd, an image pushed with {@code docker push} and signed in cosign's layout, the agent's own classes.
 */
final class Signatures {

    private final boolean quick;

    Signatures(boolean quick) {
        this.quick = quick;
    }

    void run(Report report) {
        Path dir;
        try {
            dir = Files.createTempDirectory("gantry-bench-signatures");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeyPair key = CosignSigning.ecdsa();
        String password = "bench-" + Long.toHexString(System.nanoTime());
        TestImages.ensureBusybox(null);
        try (CosignRegistry registry = CosignRegistry.start(dir, "bench", password, "gantry-bench-sig")) {
            String digest = registry.push("app", TestImages.BUSYBOX);
            registry.sign("app", digest, key);
            Path pub = Files.writeString(dir.resolve("cosign.pub"), CosignSigning.pem(key.getPublic()));
            AgentConfig d = AgentConfig.DEFAULTS;
            AgentConfig config = new AgentConfig(d.log(), d.connection(), d.things(), d.updateAgent(), d.metrics(),
                    EngineConfig.DEFAULTS, Map.of(registry.address(), new RegistryConfig(new RegistryConfig.Credentials(
                            "bench", Secret.of(password)), TlsConfig.NONE, true)), d.deployment(), d.policy(),
                    d.trust(), dir.resolve("state"));
            TrustConfig trust = new TrustConfig(false, List.of(), TrustConfig.STOP, Map.of(registry.repository("*"),
                    new SignatureRule(pub.toString(), "", "")));
            ImageRef image = ImageRef.parse(registry.repository("app") + ":1");
            int repetitions = quick ? 15 : 60;
            Samples resolve = new Samples();
            Samples first = new Samples();
            Samples remembered = new Samples();
            try (OrasImageRegistry client = new OrasImageRegistry(() -> config)) {
                ImageVerification warm = new ImageVerification(client, VerifiedDigests.inMemory(), r -> Optional.empty());
                for (int i = 0; i < 5; i++) { // warm-up: class loading, JIT, the registry's caches
                    client.resolve(image);
                    check(new ImageVerification(client, VerifiedDigests.inMemory(), r -> Optional.empty()), trust, image);
                    check(warm, trust, image);
                }
                for (int i = 0; i < repetitions; i++) {
                    long t0 = System.nanoTime();
                    client.resolve(image);
                    long t1 = System.nanoTime();
                    check(new ImageVerification(client, VerifiedDigests.inMemory(), r -> Optional.empty()), trust, image);
                    long t2 = System.nanoTime();
                    check(warm, trust, image);
                    long t3 = System.nanoTime();
                    resolve.add((t1 - t0) / 1e6);
                    first.add((t2 - t1) / 1e6);
                    remembered.add((t3 - t2) / 1e6);
                }
            }
            Report.Table table = report.table("Signatures: what a cosign check adds before a pull (" + repetitions
                    + "×, alternated)", "step", "median", "p90", "/ floor");
            row(table, "floor: resolve the tag (manifest HEAD)", resolve, resolve.median());
            row(table, "first verification (resolve, .sig manifest, payload, ECDSA P-256)", first, resolve.median());
            row(table, "from the remembered digest (resolve, memory)", remembered, resolve.median());
            table.note("In-process, the agent's classes (OrasImageRegistry, ImageVerification) against a local"
                    + " docker-registry with htpasswd over loopback HTTP; a fresh memory for each first verification.");
            report.add(table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Processes.attempt(Map.of(), "rm", "-rf", dir.toString());
        }
    }

    private static void check(ImageVerification verification, TrustConfig trust, ImageRef image) {
        ImageVerification.Verdict verdict = verification.judge(trust, image);
        if (verdict.refusal().isPresent() || verdict.pin().isEmpty()) {
            throw new IllegalStateException("the signed image was not verified: " + verdict);
        }
    }

    private static void row(Report.Table table, String step, Samples samples, double floor) {
        table.row(step, Report.ms(samples.median()), Report.ms(samples.percentile(90)),
                Report.ratio(samples.median() / floor));
    }
}
