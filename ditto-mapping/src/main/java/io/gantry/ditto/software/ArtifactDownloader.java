package io.gantry.ditto.software;

import io.gantry.core.concurrent.Lazy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Downloads install artifacts (container descriptors) over HTTP(S) with {@code java.net.http}. Unlike Kanto, an HTTP
 * error status is a failure rather than a body to parse, and an artifact larger than the limit is refused.
 *
 * <p>Threading: {@link #download} blocks; it runs on the command pool.
 */
public final class ArtifactDownloader {

    /** Container descriptors are small; this is generous. */
    public static final long DEFAULT_MAX_BYTES = 1024 * 1024;

    private final Supplier<HttpClient> client;
    private final Duration timeout;
    private final long maxBytes;

    public ArtifactDownloader(HttpClient client, Duration timeout, long maxBytes) {
        this(given(client), timeout, maxBytes);
    }

    private ArtifactDownloader(Supplier<HttpClient> client, Duration timeout, long maxBytes) {
        this.client = client;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxBytes = maxBytes;
    }

    private static Supplier<HttpClient> given(HttpClient client) {
        Objects.requireNonNull(client, "client");
        return () -> client;
    }

    /** A downloader with its own client, following redirects, with {@code timeout} for connecting and for the whole request. */
    public static ArtifactDownloader create(Duration timeout) {
        // Made at the first download: a client keeps a selector thread alive, and most twins never install.
        return new ArtifactDownloader(new Lazy<>(() -> HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build()), timeout, DEFAULT_MAX_BYTES);
    }

    /** @throws ArtifactException (not rejected) when the artifact cannot be had */
    public byte[] download(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = client.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw new ArtifactException("GET " + uri + ": HTTP status " + response.statusCode(), false, null);
                }
                return readLimited(uri, body);
            }
        } catch (IOException e) {
            throw new ArtifactException("GET " + uri + ": " + reason(e), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("GET " + uri + ": interrupted", false, e);
        }
    }

    private byte[] readLimited(URI uri, InputStream body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            out.write(buffer, 0, n);
            if (out.size() > maxBytes) {
                throw new ArtifactException("GET " + uri + ": the artifact is larger than " + maxBytes + " bytes",
                        false, null);
            }
        }
        return out.toByteArray();
    }

    /** The first message in the cause chain; java.net.http often leaves them empty, so some get a name here. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "timed out";
            }
            if (t instanceof java.net.ConnectException && (t.getMessage() == null || t.getMessage().isBlank())) {
                return "cannot connect (connection refused or host unreachable)";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t instanceof java.net.UnknownHostException ? "unknown host " + t.getMessage() : t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }
}
