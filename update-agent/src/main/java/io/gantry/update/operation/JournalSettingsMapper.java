package io.gantry.update.operation;

import io.gantry.config.ByteSize;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.Resources;
import io.gantry.core.container.RestartPolicy;
import io.gantry.update.journal.JournalSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/** Converts the restart policy and resources a rollback restores to and from their journal form. */
final class JournalSettingsMapper {

    private JournalSettingsMapper() {
    }

    static JournalSettings toJournal(ContainerUpdate update) {
        RestartPolicy policy = update.restartPolicy().orElse(null);
        Resources resources = update.resources().orElse(Resources.NONE);
        return new JournalSettings(policy == null ? null : policy.kind().dockerName(),
                policy == null ? 0 : policy.maxRetries(), policy == null ? 0 : policy.retryTimeout().toMillis(),
                resources.memory().map(ByteSize::bytes).orElse(null),
                resources.memoryReservation().map(ByteSize::bytes).orElse(null),
                resources.memorySwap().map(ByteSize::bytes).orElse(null), resources.unlimitedSwap(),
                resources.cpus().map(BigDecimal::toPlainString).orElse(null));
    }

    static ContainerUpdate toUpdate(JournalSettings settings) {
        if (settings == null) {
            return null;
        }
        Optional<RestartPolicy> policy = Optional.ofNullable(settings.restartPolicy())
                .map(RestartPolicy::parse)
                .map(p -> p.kind() == RestartPolicy.Kind.ON_FAILURE
                        ? RestartPolicy.onFailure(settings.maxRetries(), Duration.ofMillis(settings.retryTimeoutMillis()))
                        : p);
        Resources resources = new Resources(Optional.ofNullable(settings.memory()).map(ByteSize::ofBytes),
                Optional.ofNullable(settings.memoryReservation()).map(ByteSize::ofBytes),
                Optional.ofNullable(settings.memorySwap()).map(ByteSize::ofBytes), settings.unlimitedSwap(),
                Optional.ofNullable(settings.cpus()).map(BigDecimal::new), Optional.empty());
        return new ContainerUpdate(policy, Optional.of(resources));
    }
}
