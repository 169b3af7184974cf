package io.gantry.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.PolicyConfig;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.Subscription;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The record of recent refusals: newest first, bounded, listeners told of each change; origins per thread. */
class RecentRefusalsTest {

    private static Refusal refusal(int n) {
        return new Refusal(Instant.ofEpochSecond(n), CreationOrigin.DITTO, "policy.privileged", "app:" + n,
                Optional.empty(), "c" + n, Refusal.REFUSED, "refused " + n);
    }

    @Test
    void keepsTheNewestFirst_andNoMoreThanItsCapacity() {
        RecentRefusals recent = new RecentRefusals();
        List<List<Refusal>> heard = new ArrayList<>();
        Subscription listening = recent.onChange(heard::add);
        for (int i = 0; i < RecentRefusals.CAPACITY + 5; i++) {
            recent.record(refusal(i));
        }

        assertThat(recent.recent()).hasSize(RecentRefusals.CAPACITY);
        assertThat(recent.recent().get(0)).isEqualTo(refusal(RecentRefusals.CAPACITY + 4));
        assertThat(recent.recent().get(RecentRefusals.CAPACITY - 1)).isEqualTo(refusal(5));
        assertThat(heard).hasSize(RecentRefusals.CAPACITY + 5);

        listening.close();
        recent.record(refusal(99));
        assertThat(heard).hasSize(RecentRefusals.CAPACITY + 5);
    }

    @Test
    void anAdmissionRefusal_carriesThePathAndSubjectItsCallerSet_andTheOutermostOriginWins() {
        RecentRefusals recent = new RecentRefusals();
        Admission admission = new Admission(() -> new PolicyConfig(false, true, true, true, List.of(PolicyConfig.ANY_RUNTIME),
                PolicyConfig.DEFAULTS.hostPaths()), () -> TrustConfig.DEFAULTS, ref -> Optional.empty(),
                e -> recent.record(Refusal.of(Instant.EPOCH, CreationOrigin.current().orElse(CreationOrigin.UNKNOWN),
                        e)));
        ContainerSpec privileged = ContainerSpec.builder(ImageRef.parse("app:1")).name(new ContainerName("web"))
                .privileged(true).build();

        assertThatThrownBy(() -> new CreationOrigin("dashboard", "web").during(() ->
                new CreationOrigin(CreationOrigin.DITTO, "inner").during(() -> admission.check(privileged))))
                .isInstanceOf(ContainerRefusedException.class);
        assertThatThrownBy(() -> admission.check(privileged)).isInstanceOf(ContainerRefusedException.class);

        assertThat(recent.recent()).extracting(Refusal::path, Refusal::subject, Refusal::rule).containsExactly(
                org.assertj.core.groups.Tuple.tuple("unknown", "?", "policy.privileged"),
                org.assertj.core.groups.Tuple.tuple("dashboard", "web", "policy.privileged"));
        assertThat(CreationOrigin.current()).isEmpty();
    }
}
