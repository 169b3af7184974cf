package io.gantry.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.PolicyConfig;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.DeviceMapping;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.Gpus;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Mount;
import io.gantry.core.container.NetworkMode;
import io.gantry.core.container.Resources;
import io.gantry.core.image.ImageFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final PolicyConfig TIGHT = new PolicyConfig(false, false, false, false, List.of("runc"),
            List.of("/srv/app", "/etc/ssl:ro"));

    private final AtomicReference<PolicyConfig> policy = new AtomicReference<>(PolicyConfig.DEFAULTS);
    private final AtomicReference<TrustConfig> trust = new AtomicReference<>(TrustConfig.DEFAULTS);
    private final List<ContainerRefusedException> refused = new ArrayList<>();
    private Function<ImageRef, Optional<ImageFacts>> images = ref -> Optional.empty();
    private final Admission admission = new Admission(policy::get, trust::get, ref -> images.apply(ref), refused::add);

    static Stream<Arguments> breaches() {
        ContainerSpec base = ContainerSpec.builder(ImageRef.parse("busybox:1")).build();
        return Stream.of(
                Arguments.of(base.toBuilder().privileged(true).build(), "refused by policy.privileged: the container"
                        + " asks to be privileged (image busybox:1)"),
                Arguments.of(base.toBuilder().network(NetworkMode.HOST).build(), "refused by policy.host_network:"
                        + " the container asks for the host's network (image busybox:1)"),
                Arguments.of(base.toBuilder().devices(List.of(DeviceMapping.parse("/dev/ttyUSB0:/dev/ttyUSB0")))
                        .build(), "refused by policy.devices: the container asks for host device /dev/ttyUSB0 (image"
                        + " busybox:1)"),
                Arguments.of(base.toBuilder().resources(Resources.NONE.withGpus(Optional.of(Gpus.ALL))).build(),
                        "refused by policy.gpus: the container asks for GPUs (image busybox:1)"),
                Arguments.of(base.toBuilder().runtime("nvidia").build(), "refused by policy.runtimes: runtime nvidia"
                        + " is not allowed (image busybox:1)"),
                Arguments.of(base.toBuilder().mounts(List.of(Mount.bind("/", "/host"))).build(), "refused by"
                        + " policy.host_paths: host path / may not be mounted (image busybox:1)"),
                Arguments.of(base.toBuilder().mounts(List.of(Mount.bind("/srv/app/../../etc", "/x"))).build(),
                        "refused by policy.host_paths: host path /srv/app/../../etc may not be mounted (image"
                                + " busybox:1)"),
                Arguments.of(base.toBuilder().mounts(List.of(Mount.bind("/etc/ssl/certs", "/certs"))).build(),
                        "refused by policy.host_paths: host path /etc/ssl/certs may not be mounted read-write (only"
                                + " read-only) (image busybox:1)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("breaches")
    void eachPolicyRule_refuses_whenTightened_andAllowsByDefault(ContainerSpec spec, String message) {
        admission.check(spec);
        policy.set(TIGHT);
        assertThatThrownBy(() -> admission.check(spec)).isInstanceOf(ContainerRefusedException.class)
                .hasMessage(message);
        assertThat(refused).singleElement().extracting(ContainerRefusedException::getMessage).isEqualTo(message);
    }

    @Test
    void whatTheTightPolicyAllows_passes() {
        policy.set(TIGHT);
        admission.check(ContainerSpec.builder(ImageRef.parse("busybox:1")).runtime("runc")
                .mounts(List.of(Mount.bind("/srv/app/data", "/data"), new Mount("/etc/ssl", "/ssl",
                        io.gantry.core.container.Propagation.RPRIVATE, true), new Mount("cache", "/cache",
                        io.gantry.core.container.Propagation.RPRIVATE, false))).build());
        assertThat(refused).isEmpty();
    }

    @Test
    void allowlist_checksAPinnedDigest_withoutLookingAtLocalImages() {
        images = ref -> {
            throw new AssertionError("no lookup for a pinned image");
        };
        trust.set(new TrustConfig(true, List.of(A), TrustConfig.STOP));
        admission.check(spec("registry.example/app@" + A));
        assertThatThrownBy(() -> admission.check(spec("registry.example/app:1@" + B)))
                .isInstanceOf(ContainerRefusedException.class)
                .hasMessage("refused by trust.allowlist: the digest is not in the allowlist (image"
                        + " registry.example/app:1@" + B + ", digest " + B + ")")
                .satisfies(e -> assertThat(((ContainerRefusedException) e).digest()).contains(B));
    }

    @Test
    void allowlist_acceptsALocalImage_byItsRepoDigestOrItsId() {
        trust.set(new TrustConfig(true, List.of(A + "\n" + B), TrustConfig.STOP));
        images = ref -> Optional.of(new ImageFacts("sha256:" + "c".repeat(64), List.of("app@" + A)));
        admission.check(spec("app:1"));
        images = ref -> Optional.of(new ImageFacts(B, List.of()));
        admission.check(spec("loaded:1"));
        images = ref -> Optional.of(new ImageFacts("sha256:" + "c".repeat(64), List.of("app@sha256:" + "d".repeat(64))));
        assertThatThrownBy(() -> admission.check(spec("app:2"))).hasMessage("refused by trust.allowlist: the digest is"
                + " not in the allowlist (image app:2, digest sha256:" + "d".repeat(64) + ")");
    }

    @Test
    void allowlist_aTagThatIsNotPresent_withoutARegistry_failsAsAPullWould_beforeAnyPull() {
        trust.set(new TrustConfig(true, List.of(A), TrustConfig.STOP));
        assertThatThrownBy(() -> admission.check(spec("app:1"))).isInstanceOf(ImagePullException.class)
                .hasMessage("no registry client");
        assertThat(refused).isEmpty();
    }

    @Test
    void allowlist_notEnforced_checksNothing() {
        trust.set(new TrustConfig(false, List.of(A), TrustConfig.STOP));
        admission.check(spec("app:1"));
        assertThat(refused).isEmpty();
    }

    @Test
    void admittingEngine_refusesBeforePullAndCreate_andAtCreateToo() {
        FakeContainerEngine fake = new FakeContainerEngine();
        AdmittingEngine engine = new AdmittingEngine(fake, admission);
        policy.set(TIGHT);
        ContainerSpec privileged = ContainerSpec.builder(ImageRef.parse("busybox:1")).privileged(true).build();
        assertThatThrownBy(() -> engine.admit(privileged)).isInstanceOf(ContainerRefusedException.class);
        assertThatThrownBy(() -> engine.create(privileged, Map.of())).isInstanceOf(ContainerRefusedException.class);
        assertThat(fake.list()).isEmpty();
    }

    private static ContainerSpec spec(String image) {
        return ContainerSpec.builder(ImageRef.parse(image)).build();
    }
}
