package io.gantry.metrics.own;

import io.gantry.core.concurrent.Lazy;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.metrics.prometheus.MetricFamily;
import io.gantry.metrics.prometheus.TextFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the metrics running containers expose about themselves ({@link OwnMetricsTarget}: a file or an HTTP
 * port), every {@code interval}, at most {@code maxBytes} and {@code timeout} per container; all containers are read
 * at once, so a slow or oversized one is cut off and reported without holding up the others. A valid exposition
 * replaces the container's previous one; a malformed, oversized, slow or half-written one is reported (a WARN when
 * a container's problem changes, and {@code gantry_container_own_metrics_up} 0) and nothing of it is served.
 *
 * <p>A file is read only when its real path lies inside the bind-mounted host directory, and only when it did not change while it was read (same size, modification time and file key before
 * and after) and ends with a newline: the container must write it atomically, a new file renamed into place.
 *
 * <p>Threading: collection runs on {@code gantry-own-metrics} (reads on {@code gantry-own-metrics-read-N});
 * {@link #families()} may be called from any thread.
 */
public final class OwnMetricsCollector implements AutoCloseable {

    /** The labels added to every sample. */
    public static final String NAME_LABEL = "container_name";
    public static final String ID_LABEL = "container_id";
    static final String UP = "gantry_container_own_metrics_up";
    private static final int READERS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(OwnMetricsCollector.class);

    /** What to collect with: valid once built. */
    public record Settings(Duration interval, long maxBytes, Duration timeout) {
        public Settings {
            if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero() || maxBytes < 1
                    || maxBytes > Integer.MAX_VALUE - 1) {
                throw new IllegalArgumentException("bad own-metrics settings: " + interval + ", " + maxBytes + ", "
                        + timeout);
            }
        }
    }

    /** One container's latest result: its families, or why there are none. */
    private record Outcome(String name, List<Exposition.Family> families, Optional<String> problem) {
    }

    private final Supplier<List<Container>> running;
    private final Supplier<Settings> settings;
    private final Path stateDir;
    private final ScheduledExecutorService timer = Threads.scheduled("gantry-own-metrics");
    private final ExecutorService readers = Threads.pool("gantry-own-metrics-read", READERS);
    // Made at the first scrape: most gateways never scrape a container.
    private final Lazy<HttpClient> http = new Lazy<>(() -> HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build());
    private final Map<ContainerId, Outcome> outcomes = new ConcurrentHashMap<>();

    /**
     * @param running  the running containers (an engine that does not answer: an exception, and this round is skipped)
     * @param stateDir where the metrics directories Gantry provides to containers are ({@code ProvidingEngine})
     */
    public OwnMetricsCollector(Supplier<List<Container>> running, Supplier<Settings> settings, Path stateDir) {
        this.running = Objects.requireNonNull(running, "running");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    /** Collects at once, then every interval (read again before each wait). */
    public OwnMetricsCollector start() {
        schedule(Duration.ZERO);
        return this;
    }

    private void schedule(Duration delay) {
        try {
            timer.schedule(() -> {
                collect();
                schedule(settings.get().interval());
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** One round: every labelled running container read in parallel, each within the timeout. */
    public void collect() {
        Settings s = settings.get();
        List<Container> containers;
        try {
            containers = running.get();
        } catch (RuntimeException e) {
            LOG.debug("No own metrics this round: the containers cannot be listed: {}", e.toString());
            return;
        }
        Map<Container, Future<Outcome>> reads = new LinkedHashMap<>();
        Map<ContainerId, Outcome> next = new LinkedHashMap<>();
        for (Container c : containers) {
            OwnMetricsTarget.Resolved resolved = OwnMetricsTarget.of(c, stateDir);
            if (resolved.problem().isPresent()) {
                next.put(c.id(), failed(c, resolved.problem().get()));
            } else {
                resolved.target().ifPresent(t -> reads.put(c, readers.submit(() -> read(c, t, s))));
            }
        }
        long deadline = System.nanoTime() + s.timeout().toNanos();
        reads.forEach((c, future) -> next.put(c.id(), await(c, future, deadline, s)));
        next.forEach((id, outcome) -> report(id, outcome));
        outcomes.keySet().retainAll(next.keySet());
        outcomes.putAll(next);
    }

    private Outcome await(Container c, Future<Outcome> future, long deadline, Settings s) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed(c, "no complete exposition within " + s.timeout().toMillis() + " ms; cut off");
        } catch (ExecutionException e) {
            return failed(c, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return failed(c, "interrupted");
        }
    }

    private void report(ContainerId id, Outcome now) {
        Outcome before = outcomes.get(id);
        Optional<String> was = before == null ? Optional.empty() : before.problem();
        if (now.problem().isPresent() && !now.problem().equals(was)) {
            LOG.warn("The own metrics of container {} ({}) are not served: {}", now.name(), id.shortForm(),
                    now.problem().get());
        } else if (now.problem().isEmpty() && was.isPresent()) {
            LOG.info("The own metrics of container {} ({}) are served again", now.name(), id.shortForm());
        }
    }

    private Outcome read(Container c, OwnMetricsTarget target, Settings s) throws IOException, InterruptedException {
        byte[] bytes;
        if (target instanceof OwnMetricsTarget.File file) {
            Path real = file.hostPath().toRealPath();
            if (!real.startsWith(file.mountSource().toRealPath())) {
                return failed(c, file.hostPath() + " leads out of the mounted directory " + file.mountSource()
                        + " (a symbolic link?); not read");
            }
            Optional<byte[]> whole = readWhole(real, s.maxBytes());
            if (whole.isEmpty()) {
                return failed(c, file.hostPath() + " changed while it was read: write it atomically (a new file "
                        + "renamed into place)");
            }
            bytes = whole.get();
        } else {
            URI url = ((OwnMetricsTarget.Http) target).url();
            HttpResponse<InputStream> response = http.get().send(HttpRequest.newBuilder(url).timeout(s.timeout())
                    .header("Accept", "text/plain;version=0.0.4").GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    return failed(c, url + " answered " + response.statusCode());
                }
                bytes = in.readNBytes((int) s.maxBytes() + 1);
            }
        }
        if (bytes.length > s.maxBytes()) {
            return failed(c, "the exposition is larger than " + s.maxBytes() + " bytes; cut off");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return failed(c, "the exposition is not UTF-8");
        }
        try {
            List<Exposition.Family> families = Exposition.parse(text);
            for (Exposition.Family f : families) {
                if (distributed(f)) {
                    Distributions.of(f); // validated here, so that a malformed one is reported, not served
                }
            }
            Optional<String> refused = refusal(families);
            return refused.isPresent() ? failed(c, refused.get())
                    : new Outcome(c.name().value(), families, Optional.empty());
        } catch (Exposition.MalformedException e) {
            return failed(c, "malformed exposition: " + e.getMessage());
        }
    }

    /** The file's content when it did not change while it was read; at most {@code maxBytes + 1} bytes of it. */
    static Optional<byte[]> readWhole(Path file, long maxBytes) throws IOException {
        try {
            BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) maxBytes + 1);
            }
            BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
            boolean same = before.size() == after.size() && before.lastModifiedTime().equals(after.lastModifiedTime())
                    && Objects.equals(before.fileKey(), after.fileKey())
                    && (bytes.length > maxBytes || bytes.length == after.size());
            return same ? Optional.of(bytes) : Optional.empty();
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + " does not exist (yet)");
        }
    }

    /** What Gantry will not serve: its own names, or samples that already carry the labels it adds. */
    private static Optional<String> refusal(List<Exposition.Family> families) {
        for (Exposition.Family f : families) {
            if (f.name().startsWith("gantry_")) {
                return Optional.of("metric " + f.name() + ": names starting with gantry_ are Gantry's own");
            }
            for (Exposition.Sample sample : f.samples()) {
                if (sample.labels().containsKey(NAME_LABEL) || sample.labels().containsKey(ID_LABEL)) {
                    return Optional.of("metric " + sample.name() + " has a label " + NAME_LABEL + " or " + ID_LABEL
                            + ", which Gantry adds");
                }
            }
        }
        return Optional.empty();
    }

    private static Outcome failed(Container c, String why) {
        return new Outcome(c.name().value(), List.of(), Optional.of(why));
    }

    /**
     * The families to serve: every container's counters, gauges, untyped metrics, histograms and summaries with
     * {@code container_name} and {@code container_id} added, merged by name (a family whose type differs from another
     * container's, or that the Prometheus client cannot write — a reserved name — is left out and logged at DEBUG),
     * and {@code gantry_container_own_metrics_up}.
     */
    public List<MetricFamily> families() {
        Map<String, MetricFamily.Builder> builders = new LinkedHashMap<>();
        Map<String, MetricFamily.Type> types = new LinkedHashMap<>();
        MetricFamily.Builder up = MetricFamily.builder(UP, MetricFamily.Type.GAUGE,
                "1 when the container's own metrics were read and valid at the last collection, else 0");
        outcomes.forEach((id, outcome) -> {
            Map<String, String> own = Map.of(NAME_LABEL, outcome.name(), ID_LABEL, id.value());
            up.add(new LinkedHashMap<>(own), outcome.problem().isPresent() ? 0 : 1);
            for (Exposition.Family f : outcome.families()) {
                Optional<MetricFamily.Type> type = switch (f.type()) {
                    case "counter" -> Optional.of(MetricFamily.Type.COUNTER);
                    case "gauge" -> Optional.of(MetricFamily.Type.GAUGE);
                    case "untyped" -> Optional.of(MetricFamily.Type.UNKNOWN);
                    case "histogram" -> Optional.of(MetricFamily.Type.HISTOGRAM);
                    case "summary" -> Optional.of(MetricFamily.Type.SUMMARY);
                    default -> Optional.empty();
                };
                if (type.isEmpty() || (types.containsKey(f.name()) && types.get(f.name()) != type.get())) {
                    LOG.debug("Left out {} of container {}: type {}", f.name(), outcome.name(), f.type());
                    continue;
                }
                types.put(f.name(), type.get());
                MetricFamily.Builder b = builders.computeIfAbsent(f.name(),
                        n -> MetricFamily.builder(n, type.get(), f.help()));
                if (distributed(f)) {
                    addDistributions(b, f, own, outcome.name());
                    continue;
                }
                for (Exposition.Sample sample : f.samples()) {
                    Map<String, String> labels = new LinkedHashMap<>(sample.labels());
                    labels.putAll(own);
                    b.add(labels, sample.value());
                }
            }
        });
        List<MetricFamily> out = new ArrayList<>();
        out.add(up.build());
        for (MetricFamily.Builder b : builders.values()) {
            try {
                MetricFamily family = b.build();
                TextFormat.write(List.of(family)); // the client's own checks: a family it refuses is left out
                out.add(family);
            } catch (RuntimeException e) {
                LOG.debug("Left out a container's own metric family: {}", e.toString());
            }
        }
        return out;
    }

    private static boolean distributed(Exposition.Family f) {
        return f.type().equals("histogram") || f.type().equals("summary");
    }

    /** A histogram's or summary's distributions (validated when collected), with the container's labels added. */
    private static void addDistributions(MetricFamily.Builder b, Exposition.Family f, Map<String, String> own,
                                         String container) {
        try {
            for (MetricFamily.Distribution d : Distributions.of(f)) {
                Map<String, String> labels = new LinkedHashMap<>(d.labels());
                labels.putAll(own);
                b.add(new MetricFamily.Distribution(labels, d.count(), d.sum(), d.buckets(), d.quantiles()));
            }
        } catch (Exposition.MalformedException | IllegalArgumentException e) {
            LOG.debug("Left out {} of container {}: {}", f.name(), container, e.getMessage());
        }
    }

    @Override
    public void close() {
        Threads.shutdown(timer, 1);
        readers.shutdownNow();
    }
}
