package io.gantry.update.journal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A container's restart policy and updatable resources as journaled before an update in place, so that a rollback
 * can put them back. Sizes are bytes; {@code cpus} is a decimal string; absent values are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalSettings(String restartPolicy, int maxRetries, long retryTimeoutMillis, Long memory,
                              Long memoryReservation, Long memorySwap, boolean unlimitedSwap, String cpus) {
}
