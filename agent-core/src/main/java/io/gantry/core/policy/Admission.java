package io.gantry.core.policy;

import io.gantry.config.PolicyConfig;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.image.ImageFacts;
import io.gantry.core.image.ImageRegistry;
import io.gantry.core.signature.VerifiedDigests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one check of the operator's {@code policy} and {@code trust} sections that every path creating a container makes
 * before it pulls or creates anything (docs/trust.md). The sections are read at each check, so a configuration edit
 * applies to the next container.
 *
 * <p>Contract: {@link #check} returns when the container is allowed and throws {@link ContainerRefusedException}
 * otherwise, after handing it to the listener (the agent logs and counts it; the CLI prints it). The trust part is
 * {@link ImageVerification}'s: with the allowlist enforced or a signature rule matching, it blocks on the registry and
 * the local image lookup, whose failures ({@link io.gantry.core.container.EngineException}) propagate. Thread-safe.
 */
public final class Admission {

    private final Supplier<PolicyConfig> policy;
    private final Supplier<TrustConfig> trust;
    private final Function<ImageRef, Optional<ImageFacts>> images;
    private final ImageVerification verification;
    private final Consumer<ContainerRefusedException> refused;

    /**
     * @param images       the local image a reference names, if present (the engine's image inspect)
     * @param verification resolves tags and verifies signatures against the registries
     * @param refused      told of every refusal before it is thrown
     */
    public Admission(Supplier<PolicyConfig> policy, Supplier<TrustConfig> trust,
                     Function<ImageRef, Optional<ImageFacts>> images, ImageVerification verification,
                     Consumer<ContainerRefusedException> refused) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.images = Objects.requireNonNull(images, "images");
        this.verification = Objects.requireNonNull(verification, "verification");
        this.refused = Objects.requireNonNull(refused, "refused");
    }

    /** Without a registry client: a tag is judged by the local image it names (tests, and tools without a network). */
    public Admission(Supplier<PolicyConfig> policy, Supplier<TrustConfig> trust,
                     Function<ImageRef, Optional<ImageFacts>> images, Consumer<ContainerRefusedException> refused) {
        this(policy, trust, images, new ImageVerification(ImageRegistry.UNREACHABLE, VerifiedDigests.inMemory(),
                images), refused);
    }

    /** Allows everything: for tools that create containers outside any configuration. */
    public static Admission allowAll() {
        return new Admission(() -> PolicyConfig.DEFAULTS, () -> TrustConfig.DEFAULTS, ref -> Optional.empty(), r -> { });
    }

    /**
     * Checks a container before its image is pulled.
     *
     * @return the reference the image must be pulled and the container created from, when it differs from the
     *         spec's: the digest the tag named when it was verified ({@code repo@sha256:…}), or a local image's id
     * @throws ContainerRefusedException naming the first rule that refuses it
     * @throws io.gantry.core.container.ImagePullException when the registry cannot say what the tag names and
     *         nothing remembered stands in
     */
    public Optional<ImageRef> check(ContainerSpec spec) {
        Optional<ContainerRefusedException> problem = policyProblem(policy.get(), spec);
        ImageVerification.Verdict verdict = null;
        if (problem.isEmpty()) {
            verdict = verification.judge(trust.get(), spec.image());
            problem = verdict.refusal();
        }
        if (problem.isPresent()) {
            ContainerRefusedException e = problem.get();
            refused.accept(e);
            throw e;
        }
        return verdict.pin();
    }

    /**
     * Whether a container that already exists may run under the allowlist, judged by the image it was created from
     * (its id, and that image's registry digests): for containers Gantry did not create. Neither logged nor counted.
     */
    public Optional<ContainerRefusedException> existingProblem(Container container) {
        TrustConfig rules = trust.get();
        if (!rules.enforce()) {
            return Optional.empty();
        }
        List<String> digests = new ArrayList<>();
        if (!container.imageId().isBlank()) {
            images.apply(ImageRef.parse(container.imageId())).ifPresent(f -> digests.addAll(f.manifestDigests()));
            digests.add(container.imageId());
        }
        Set<String> allowed = rules.digests();
        if (digests.stream().anyMatch(allowed::contains)) {
            return Optional.empty();
        }
        return Optional.of(new ContainerRefusedException("trust.allowlist", container.image().text(),
                digests.stream().findFirst(), "the digest is not in the allowlist"));
    }

    /** The first rule of {@code policy} that {@code spec} breaks, in the order of the section's keys. */
    static Optional<ContainerRefusedException> policyProblem(PolicyConfig policy, ContainerSpec spec) {
        String image = spec.image().text();
        if (spec.privileged() && !policy.privileged()) {
            return refusal("policy.privileged", image, "the container asks to be privileged");
        }
        if (spec.network().kind() == NetworkMode.Kind.HOST && !policy.hostNetwork()) {
            return refusal("policy.host_network", image, "the container asks for the host's network");
        }
        if (!spec.devices().isEmpty() && !policy.devices()) {
            DeviceMapping first = spec.devices().get(0);
            return refusal("policy.devices", image, "the container asks for host device " + first.pathOnHost());
        }
        if (spec.resources().gpus().isPresent() && !policy.gpus()) {
            return refusal("policy.gpus", image, "the container asks for GPUs");
        }
        if (!policy.runtimeAllowed(spec.runtime())) {
            return refusal("policy.runtimes", image, "runtime " + spec.runtime() + " is not allowed");
        }
        List<PolicyConfig.HostPathRule> rules = policy.hostPathRules();
        for (Mount m : spec.mounts()) {
            if (!m.source().startsWith("/")) {
                continue; // a named volume
            }
            Path source = Path.of(m.source());
            if (rules.stream().noneMatch(r -> r.allows(source, m.readOnly()))) {
                boolean readOnlyWouldDo = rules.stream().anyMatch(r -> r.allows(source, true));
                return refusal("policy.host_paths", image, "host path " + m.source() + " may not be mounted"
                        + (readOnlyWouldDo ? " read-write (only read-only)" : ""));
            }
        }
        return Optional.empty();
    }

    private static Optional<ContainerRefusedException> refusal(String rule, String image, String why) {
        return Optional.of(new ContainerRefusedException(rule, image, Optional.empty(), why));
    }
}
