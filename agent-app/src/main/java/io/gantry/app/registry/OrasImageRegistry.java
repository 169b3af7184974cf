package io.gantry.app.registry;

import io.gantry.app.mqtt.TlsMaterial;
import io.gantry.config.AgentConfig;
import io.gantry.config.RegistryConfig;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ImagePullException;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.PullRetries;
import io.gantry.core.image.ImageRegistry;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import land.oras.ContainerRef;
import land.oras.Descriptor;
import land.oras.Registry;
import land.oras.auth.NoAuthProvider;
import land.oras.auth.UsernamePasswordProvider;
import land.oras.exception.OrasException;

/**
 * {@link ImageRegistry} with the ORAS Java SDK, with each registry's {@code registries} settings (credentials,
 * {@code transport} CAs and client certificate, {@code insecure} for plain HTTP) and the engine's pull bounds: every
 * request must answer within {@code engine.pull_stall_timeout}, and transient failures are retried
 * {@code engine.pull_retries} times with back-off, as pulls are ({@link PullRetries}).
 *
 * <p>Requests run on a small pool of their own ({@code gantry-registry}), so that a registry that accepts a connection
 * and never answers costs the caller only the timeout. Thread-safe.
 */
public final class OrasImageRegistry implements ImageRegistry, AutoCloseable {

    /** The manifest digests the distribution specification allows here. */
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final int THREADS = 2;

    private final Supplier<AgentConfig> config;
    private final ExecutorService pool = Threads.pool("gantry-registry", THREADS);

    public OrasImageRegistry(Supplier<AgentConfig> config) {
        this.config = config;
    }

    /**
     * The digest the tag names: for a multi-platform index, the index's digest. Docker pulls {@code repo@<index>}
     * by choosing this platform's manifest from that index, which cannot change, and records the index digest as
     * the image's repository digest; cosign signs that digest when given the tag (docs/trust.md).
     */
    @Override
    public String resolve(ImageRef image) {
        String tag = image.tag().orElse(ImageRef.DEFAULT_TAG);
        return call("resolution of " + image, image, registry -> {
            Descriptor d = registry.probeDescriptor(ref(image, tag));
            String digest = d.getDigest();
            if (digest == null || !DIGEST.matcher(digest).matches()) {
                throw new ImagePullException(ImagePullException.Reason.FAILED, "resolution of " + image
                        + " failed: the registry answered no sha256 manifest digest (got " + digest + ")", null);
            }
            return digest;
        });
    }

    @Override
    public Optional<byte[]> manifest(ImageRef image, String reference) {
        try {
            return Optional.of(call("fetch of " + image.name() + ":" + reference, image, registry ->
                    registry.getManifest(ref(image, reference)).getJson().getBytes(StandardCharsets.UTF_8)));
        } catch (ImagePullException e) {
            if (e.reason() == ImagePullException.Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public byte[] blob(ImageRef image, String digest) {
        byte[] blob = call("fetch of blob " + digest + " of " + image.name(), image,
                registry -> registry.getBlob(ref(image, "").withDigest(digest)));
        String actual = "sha256:" + HexFormat.of().formatHex(sha256(blob));
        if (!actual.equals(digest)) {
            throw new ImagePullException(ImagePullException.Reason.FAILED, "the blob " + digest + " of "
                    + image.name() + " that the registry sent has digest " + actual, null);
        }
        return blob;
    }

    private static ContainerRef ref(ImageRef image, String reference) {
        String base = image.registry() + "/" + image.repository();
        if (reference.isEmpty()) {
            return ContainerRef.parse(base);
        }
        return ContainerRef.parse(reference.startsWith("sha256:") ? base + "@" + reference : base + ":" + reference);
    }

    @FunctionalInterface
    private interface Request<T> {
        T send(Registry registry);
    }

    /** One request with the bounds and retries of a pull, its failures classified as a pull's. */
    private <T> T call(String what, ImageRef image, Request<T> request) {
        AgentConfig current = config.get();
        Duration timeout = current.engine().pullStallTimeout();
        Optional<RegistryConfig> settings = current.registryOfImage(image.registry());
        return PullRetries.run(what, current.engine().pullRetries(), () -> {
            Registry registry = client(image.registry(), settings, timeout);
            Future<T> answer = pool.submit(() -> request.send(registry));
            try {
                return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                answer.cancel(true);
                throw new ImagePullException(ImagePullException.Reason.NETWORK, what + " failed: the registry "
                        + image.registry() + " did not answer within " + timeout.toSeconds() + " s", e);
            } catch (ExecutionException e) {
                throw classify(what, image, e.getCause());
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                throw new ImagePullException(ImagePullException.Reason.FAILED, what + " was interrupted", e);
            }
        });
    }

    static ImagePullException classify(String what, ImageRef image, Throwable failure) {
        if (failure instanceof ImagePullException e) {
            return e;
        }
        if (failure instanceof OrasException e && e.getStatusCode() != null && e.getStatusCode() > 0) {
            int status = e.getStatusCode();
            ImagePullException.Reason reason = status == 404 ? ImagePullException.Reason.NOT_FOUND
                    : status == 401 || status == 403 ? ImagePullException.Reason.UNAUTHORIZED
                    : status >= 500 || status == 429 ? ImagePullException.Reason.NETWORK
                    : ImagePullException.Reason.FAILED;
            return new ImagePullException(reason, what + " failed: the registry " + image.registry() + " answered "
                    + status + (reason == ImagePullException.Reason.UNAUTHORIZED ? " (check registries[\""
                    + image.registry() + "\"].credentials)" : ""), e);
        }
        String message = failure.getCause() != null && failure.getCause() != failure
                ? String.valueOf(failure.getCause()) : String.valueOf(failure.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        // The SDK wraps a request that got no answer at all (refused, reset, timed out) around the I/O failure; its
        // own checks of an answer (an invalid digest, say) carry no cause.
        boolean network = failure instanceof java.io.IOException || failure.getCause() instanceof java.io.IOException
                || lower.contains("connect") || lower.contains("timed out") || lower.contains("closed");
        return new ImagePullException(network ? ImagePullException.Reason.NETWORK : ImagePullException.Reason.FAILED,
                what + " failed: " + (network ? "the registry " + image.registry() + " cannot be reached: "
                        : "the registry " + image.registry() + " answered what is not a registry's answer: ")
                        + message, failure);
    }

    /** A client for one registry; built per request so that configuration edits apply at once (it is cheap). */
    private static Registry client(String host, Optional<RegistryConfig> settings, Duration timeout) {
        RegistryConfig r = settings.orElse(RegistryConfig.DEFAULTS);
        Registry.Builder builder = Registry.builder().withRegistry(host).withInsecure(r.insecure())
                .withAuthProvider(r.credentials().isEmpty() ? new NoAuthProvider()
                        : new UsernamePasswordProvider(r.credentials().userId(), r.credentials().password().value()));
        Registry registry = builder.build();
        if (!r.insecure()) {
            withTransport(registry, host, TlsMaterial.from("registries[\"" + host + "\"].transport", r.transport()),
                    timeout);
        }
        return registry;
    }

    /**
     * The SDK builds its HTTP client with the JVM's default trust store and no way to give it others, so the client
     * it holds is replaced by one with the configured CAs and client certificate (and the SDK's own settings: no
     * redirects followed by the client, no cookies). Pinned to the SDK version in the POM; a test covers it.
     */
    private static void withTransport(Registry registry, String host, TlsMaterial tls, Duration timeout) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(tls.context())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
        try {
            Field outer = Registry.class.getDeclaredField("client");
            outer.setAccessible(true);
            Object orasClient = outer.get(registry);
            Field inner = orasClient.getClass().getDeclaredField("client");
            inner.setAccessible(true);
            inner.set(orasClient, http);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot give the registry client for " + host + " its TLS settings: " + e,
                    e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Threads.shutdown(pool, 2);
    }
}
