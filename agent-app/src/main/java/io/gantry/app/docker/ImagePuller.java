package io.gantry.app.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import io.gantry.config.AgentConfig;
import io.gantry.config.Durations;
import io.gantry.config.EngineConfig;
import io.gantry.config.RegistryConfig;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.PullEvent;
import io.gantry.core.container.PullRetries;
import io.gantry.core.time.TimeSync;
import io.gantry.core.time.TimeSyncSource;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls images with the credentials configured for their registry, retrying transient failures with back-off and
 * cancelling a pull that makes no progress for the stall timeout.
 *
 * <p>The engine reports a pull's failure in two ways (reference/dependencies.md, pitfall 13): before the stream
 * starts as an HTTP error (an authentication failure is a 500), or inside the progress stream as an error item.
 * Both end in {@link #classify}.
 */
final class ImagePuller {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);

    private final DockerClient docker;
    private final DockerCalls calls;
    private final Supplier<AgentConfig> config;
    private final InsecureRegistries insecure;
    private final TimeSyncSource timeSync;

    ImagePuller(DockerClient docker, DockerCalls calls, Supplier<AgentConfig> config, InsecureRegistries insecure,
                TimeSyncSource timeSync) {
        this.docker = docker;
        this.calls = calls;
        this.config = config;
        this.insecure = insecure;
        this.timeSync = timeSync;
    }

    void pull(ImageRef image, Consumer<PullEvent> progress) {
        if (image.isImageId()) {
            throw new ImagePullException(ImagePullException.Reason.NOT_FOUND,
                    "cannot pull " + image + ": an image id names no repository", null);
        }
        AgentConfig current = config.get();
        EngineConfig engine = current.engine();
        Optional<RegistryConfig> registry = current.registryOfImage(image.registry());
        registry.filter(RegistryConfig::insecure).ifPresent(r -> insecure.check(image.registry()));
        AuthConfig auth = auth(image.registry(), registry);
        PullRetries.run("pull of " + image, engine.pullRetries(), () -> {
            pullOnce(image, auth, engine.pullStallTimeout(), progress);
            return null;
        });
    }

    private void pullOnce(ImageRef image, AuthConfig auth, Duration stallTimeout, Consumer<PullEvent> progress) {
        String tag = image.digest().or(image::tag).orElse(ImageRef.DEFAULT_TAG);
        try (StreamQueue<PullResponseItem> stream = docker.pullImageCmd(image.name()).withTag(tag)
                .withAuthConfig(auth).exec(new StreamQueue<>())) {
            Optional<Duration> silence = Optional.of(stallTimeout);
            for (Optional<PullResponseItem> next = stream.next(silence); next.isPresent(); next = stream.next(silence)) {
                PullResponseItem item = next.get();
                if (item.isErrorIndicated()) {
                    String message = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                            ? item.getErrorDetail().getMessage() : item.toString();
                    throw classify(image, new DockerException(String.valueOf(message), 500));
                }
                report(progress, item);
            }
        } catch (TimeoutException e) {
            throw new ImagePullException(ImagePullException.Reason.STALLED, "pull of " + image
                    + " made no progress for " + Durations.format(stallTimeout), e);
        } catch (ExecutionException e) {
            throw classify(image, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImagePullException(ImagePullException.Reason.FAILED, "pull of " + image + " was interrupted",
                    e);
        } catch (IOException e) {
            LOG.debug("Closing the pull stream of {} failed: {}", image, e.toString());
        }
    }

    private static void report(Consumer<PullEvent> progress, PullResponseItem item) {
        long current = 0;
        long total = 0;
        if (item.getProgressDetail() != null) {
            current = item.getProgressDetail().getCurrent() == null ? 0 : item.getProgressDetail().getCurrent();
            total = item.getProgressDetail().getTotal() == null ? 0 : item.getProgressDetail().getTotal();
        }
        try {
            progress.accept(new PullEvent(String.valueOf(item.getStatus()), item.getId() == null ? "" : item.getId(),
                    current, total));
        } catch (RuntimeException e) {
            LOG.warn("A pull progress consumer failed: {}", e.toString(), e);
        }
    }

    /** Why a pull failed, from the engine's answer (it has no error codes for pulls, only messages). */
    EngineException classify(ImageRef image, Throwable failure) {
        if (!(failure instanceof DockerException docker)) {
            return calls.translate(failure, "pull of " + image, null);
        }
        String message = DockerCalls.engineMessage(docker);
        String lower = message.toLowerCase(Locale.ROOT);
        ImagePullException.Reason reason;
        if (failure instanceof NotFoundException || lower.contains("manifest unknown")
                || lower.contains("not found") || lower.contains("repository does not exist")
                || lower.contains("no such image")) {
            reason = ImagePullException.Reason.NOT_FOUND;
        } else if (lower.contains("unauthorized") || lower.contains("authentication required")
                || lower.contains("no basic auth credentials") || lower.contains("denied")) {
            reason = ImagePullException.Reason.UNAUTHORIZED;
        } else if (lower.contains("server gave http response to https client")) {
            return new ImagePullException(ImagePullException.Reason.FAILED, "pull of " + image + " failed: "
                    + message + " (the registry speaks plain HTTP: add \"" + image.registry()
                    + "\" to \"insecure-registries\" in /etc/docker/daemon.json and restart dockerd)", failure);
        } else if (lower.contains("dial tcp") || lower.contains("connection refused") || lower.contains("no such host")
                || lower.contains("timeout") || lower.contains("connection reset") || lower.contains("eof")
                || lower.contains("network is unreachable") || lower.contains("temporary failure")
                || lower.contains("tls handshake")) {
            reason = ImagePullException.Reason.NETWORK;
        } else {
            reason = ImagePullException.Reason.FAILED;
        }
        return new ImagePullException(reason, "pull of " + image + " failed: " + clockHint(lower) + message, failure);
    }

    /**
     * A TLS failure while the clock is known to be unsynchronised is most likely the clock's fault (a certificate
     * "not yet valid" or "expired" by a wrong date): the error says so first, before the engine's message.
     */
    private String clockHint(String lowerMessage) {
        if (!(lowerMessage.contains("x509") || lowerMessage.contains("certificate") || lowerMessage.contains("tls"))) {
            return "";
        }
        TimeSync status = timeSync.read();
        return status.knownUnsynchronised() ? "the system clock is " + status.describe()
                + ", so TLS certificates cannot be checked; synchronise the clock and retry. " : "";
    }

    /** An explicit (possibly empty) auth, so that docker-java never falls back to ~/.docker/config.json. */
    private static AuthConfig auth(String registry, Optional<RegistryConfig> config) {
        AuthConfig auth = new AuthConfig();
        config.map(RegistryConfig::credentials).filter(c -> !c.isEmpty()).ifPresent(c -> auth
                .withRegistryAddress(registry).withUsername(c.userId()).withPassword(c.password().value()));
        return auth;
    }
}
