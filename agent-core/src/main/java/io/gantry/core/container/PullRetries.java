package io.gantry.core.container;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How Gantry retries a registry operation (an image pull, a tag resolution): transient failures ({@code NETWORK},
 * {@code STALLED}) again after 1 s, doubling up to 30 s, at most {@code retries} times; other failures at once.
 */
public final class PullRetries {

    private static final Logger LOG = LoggerFactory.getLogger(PullRetries.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    private PullRetries() {
    }

    /**
     * Runs {@code attempt} until it succeeds, fails for good, or the retries are spent.
     *
     * @throws ImagePullException the last failure; {@code FAILED} when the thread is interrupted while waiting
     */
    public static <T> T run(String what, int retries, Supplier<T> attempt) {
        Duration retry = FIRST_RETRY;
        for (int n = 0; ; n++) {
            try {
                return attempt.get();
            } catch (ImagePullException e) {
                boolean transient_ = e.reason() == ImagePullException.Reason.NETWORK
                        || e.reason() == ImagePullException.Reason.STALLED;
                if (!transient_ || n >= retries) {
                    throw e;
                }
                LOG.warn("{}; retrying in {} s ({} of {})", e.getMessage(), retry.toSeconds(), n + 1, retries);
            }
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ImagePullException(ImagePullException.Reason.FAILED, what + " was interrupted", e);
            }
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }
}
