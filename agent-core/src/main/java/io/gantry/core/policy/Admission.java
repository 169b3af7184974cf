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
 * otherwise, after handing it to the listener (the agent logs and counts it; the CLI prints it). It blocks only
 * on the local image lookup, which it makes only when the allowlist is enforced and the image is named by tag. Failures
 * of that lookup ({@link io.gantry.core.container.EngineException}) propagate. Thread-safe.
 */
public final class Admission {

    private final Supplier<PolicyConfig> policy;
    private final Supplier<TrustConfig> trust;
    private final Function<ImageRef, Optional<ImageFacts>> images;
    private final Consumer<ContainerRefusedException> refused;

    /**
     * @param images  the local image a reference names, if present (the engine's image inspect)
     * @param refused told of every refusal before it is thrown
     */
    public Admission(Supplier<PolicyConfig> policy, Supplier<TrustConfig> trust,
                     Function<ImageRef, Optional<ImageFacts>> images, Consumer<ContainerRefusedException> refused) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.images = Objects.requireNonNull(images, "images");
        this.refused = Objects.requireNonNull(refused, "refused");
    }

    /** Allows everything: for tools that create containers outside any configuration. */
    public static Admission allowAll() {
        return new Admission(() -> PolicyConfig.DEFAULTS, () -> TrustConfig.DEFAULTS, ref -> Optional.empty(), r -> { });
    }

    /**
     * Checks a container before its image is pulled.
     *
     * @throws ContainerRefusedException naming the first rule that refuses it
     */
    public void check(ContainerSpec spec) {
        Optional<ContainerRefusedException> problem = policyProblem(policy.get(), spec)
                .or(() -> trustProblem(trust.get(), spec.image()));
        if (problem.isPresent()) {
            ContainerRefusedException e = problem.get();
            refused.accept(e);
            throw e;
        }
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

    /** Whether {@code image}'s digest is allowed, when the allowlist is enforced. */
    private Optional<ContainerRefusedException> trustProblem(TrustConfig trust, ImageRef image) {
        if (!trust.enforce()) {
            return Optional.empty();
        }
        Set<String> allowed = trust.digests();
        if (image.digest().isPresent()) {
            // Pinned (repo@sha256:…) or an image id: the engine can only run that very content.
            String digest = image.digest().get();
            return allowed.contains(digest) ? Optional.empty() : Optional.of(new ContainerRefusedException(
                    "trust.allowlist", image.text(), Optional.of(digest), "the digest is not in the allowlist"));
        }
        Optional<ImageFacts> local = images.apply(image);
        if (local.isEmpty()) {
            return refusal("trust.allowlist", image.text(), "the image is named by tag and is not present, so its"
                    + " digest cannot be checked before a pull; name it by digest (repo@sha256:…)");
        }
        List<String> digests = new ArrayList<>(local.get().manifestDigests());
        digests.add(local.get().id());
        if (digests.stream().anyMatch(allowed::contains)) {
            return Optional.empty();
        }
        return Optional.of(new ContainerRefusedException("trust.allowlist", image.text(), Optional.of(digests.get(0)),
                "the digest is not in the allowlist"));
    }

    private static Optional<ContainerRefusedException> refusal(String rule, String image, String why) {
        return Optional.of(new ContainerRefusedException(rule, image, Optional.empty(), why));
    }
}
