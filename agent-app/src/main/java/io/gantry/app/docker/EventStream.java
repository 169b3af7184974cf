package io.gantry.app.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ContainerEvent;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's container event stream, kept open for as long as the adapter lives, and its listeners.
 *
 * <p>One thread, {@code gantry-engine-events}, owns the stream: it reads events, maps them and calls the listeners in
 * the engine's order, with the events Podman leaves out supplied by {@link ExpectedStops}. When the stream ends it asks whether the engine still answers; if not, listeners hear
 * {@code onUnavailable} once, and the thread retries with back-off (0.2 s doubling to 5 s). Once a stream is open
 * again they hear {@code onResync}, since events were missed. A heartbeat ping closes a stream whose engine has
 * stopped answering without closing the connection (a hung daemon), which leads to the same path.
 */
final class EventStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);
    private static final String PATH = "/events?filters=" + DockerApi.encode("{\"type\":[\"container\"]}");
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);
    /** Event attributes worth passing on; the others are the container's labels, which can be large. */
    private static final Set<String> ATTRIBUTES = Set.of("name", "oldName", "exitCode", "signal", "image");

    private final DockerApi api;
    private final DockerCalls calls;
    private final ObjectMapper json;
    private final Duration heartbeat;
    private final ExpectedStops expected;
    private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private final Object lifecycle = new Object();
    private ExecutorService reader;
    private ScheduledExecutorService heartbeatTimer;
    private volatile DockerHttpClient.Response current;
    private volatile boolean closed;
    /** Set by the heartbeat when it closes a stream whose engine stopped answering: the reason to report. */
    private volatile String hungReason;

    EventStream(DockerApi api, DockerCalls calls, ObjectMapper json, Duration heartbeat, ExpectedStops expected) {
        this.api = api;
        this.expected = expected;
        this.calls = calls;
        this.json = json;
        this.heartbeat = heartbeat;
    }

    /**
     * Adds a listener, opening the stream on first use. Returns once the stream is open (or its first attempt has
     * failed, which the listener hears as {@code onUnavailable}), so that no event of a later call is missed.
     */
    Subscription subscribe(EngineListener listener) {
        listeners.add(listener);
        start();
        try {
            if (!firstAttempt.await(calls.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.debug("The event stream of {} is not open yet", calls.url());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return () -> listeners.remove(listener);
    }

    private void start() {
        synchronized (lifecycle) {
            if (reader != null || closed) {
                return;
            }
            reader = Threads.single("gantry-engine-events");
            reader.execute(this::run);
            heartbeatTimer = Threads.scheduled("gantry-engine-heartbeat");
            heartbeatTimer.scheduleWithFixedDelay(this::checkEngine, heartbeat.toMillis(), heartbeat.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void run() {
        Duration retry = FIRST_RETRY;
        boolean openedBefore = false;
        boolean down = false;
        while (!closed) {
            String reason;
            try (DockerHttpClient.Response response = api.open(PATH)) {
                current = response;
                if (openedBefore || down) {
                    LOG.info("Event stream of the engine at {} is open again", calls.url());
                    deliver(EngineListener::onResync);
                }
                openedBefore = true;
                down = false;
                retry = FIRST_RETRY;
                firstAttempt.countDown();
                read(response);
                reason = "the engine at " + calls.url() + " closed its event stream";
            } catch (RuntimeException e) {
                reason = calls.translate(e, "the event stream", null).getMessage();
            } finally {
                current = null;
            }
            if (closed) {
                break;
            }
            Optional<String> unanswered = down ? Optional.empty() : pingFailure();
            if (unanswered.isPresent()) {
                down = true;
                String why = hungReason != null ? hungReason : unanswered.get();
                LOG.warn("Engine unavailable: {}", why);
                deliver(l -> l.onUnavailable(why));
            } else {
                LOG.debug("Event stream ended ({}); reopening in {}", reason, retry);
            }
            hungReason = null;
            firstAttempt.countDown();
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            retry = retry.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : retry.multipliedBy(2);
        }
    }

    private void read(DockerHttpClient.Response response) {
        try (MappingIterator<JsonNode> events = json.readerFor(JsonNode.class).readValues(response.getBody())) {
            while (!closed && events.hasNextValue()) {
                JsonNode raw = events.nextValue();
                Optional<ContainerEvent> event = toEvent(raw);
                String id = raw.path("Actor").path("ID").asText(raw.path("id").asText(""));
                if (id.isEmpty() || !raw.path("Type").asText("container").equals("container")) {
                    continue;
                }
                LOG.debug("Engine event {} of {}", action(raw), id);
                for (ContainerEvent e : expected.complete(action(raw), ContainerId.of(id), time(raw), event)) {
                    deliver(l -> l.onEvent(e));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Maps one Engine API event; actions Gantry does not react to (exec, attach, resize …) are dropped. */
    static Optional<ContainerEvent> toEvent(JsonNode n) {
        if (!n.path("Type").asText("container").equals("container")) {
            return Optional.empty();
        }
        String action = action(n);
        String id = n.path("Actor").path("ID").asText(n.path("id").asText(""));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> attributes = new TreeMap<>();
        n.path("Actor").path("Attributes").properties().forEach(e -> {
            if (ATTRIBUTES.contains(e.getKey())) {
                attributes.put(e.getKey(), e.getValue().asText());
            }
        });
        ContainerEvent.Kind kind;
        if (action.startsWith("health_status")) {
            kind = ContainerEvent.Kind.HEALTH_CHANGED;
            int colon = action.indexOf(':');
            attributes.put("health", colon < 0 ? "" : action.substring(colon + 1).trim());
        } else {
            kind = switch (action) {
                case "create" -> ContainerEvent.Kind.CREATED;
                case "start", "restart" -> ContainerEvent.Kind.STARTED;
                case "kill" -> ContainerEvent.Kind.KILLED;
                case "die" -> ContainerEvent.Kind.DIED;
                case "stop" -> ContainerEvent.Kind.STOPPED;
                case "pause" -> ContainerEvent.Kind.PAUSED;
                case "unpause" -> ContainerEvent.Kind.RESUMED;
                case "rename" -> ContainerEvent.Kind.RENAMED;
                case "update" -> ContainerEvent.Kind.UPDATED;
                case "destroy", "remove" -> ContainerEvent.Kind.REMOVED; // remove: Podman's name
                case "oom" -> ContainerEvent.Kind.OUT_OF_MEMORY;
                default -> null;
            };
        }
        if (kind == null) {
            return Optional.empty();
        }
        return Optional.of(new ContainerEvent(kind, ContainerId.of(id), time(n), attributes));
    }

    private static String action(JsonNode n) {
        return n.path("Action").asText(n.path("status").asText(""));
    }

    private static Instant time(JsonNode n) {
        long nanos = n.path("timeNano").asLong();
        return nanos > 0 ? Instant.ofEpochSecond(0, nanos) : Instant.ofEpochSecond(n.path("time").asLong());
    }

    private void deliver(Consumer<EngineListener> call) {
        for (EngineListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.error("Engine listener {} failed: {}", listener, e.toString(), e);
            }
        }
    }

    /** Runs on the heartbeat timer: a stream whose engine no longer answers is closed, so that the reader notices. */
    private void checkEngine() {
        DockerHttpClient.Response open = current;
        if (open == null) {
            return;
        }
        Optional<String> failure = pingFailure();
        if (failure.isPresent() && open == current) {
            LOG.debug("Closing the event stream: {}", failure.get());
            hungReason = failure.get();
            open.close();
        }
    }

    /** Why the engine does not answer a ping, or empty when it does. */
    private Optional<String> pingFailure() {
        try {
            calls.run("a ping", null, () -> api.get("/_ping"));
            return Optional.empty();
        } catch (EngineException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        DockerHttpClient.Response open = current;
        if (open != null) {
            open.close();
        }
        synchronized (lifecycle) {
            if (reader != null) {
                reader.shutdownNow();
                heartbeatTimer.shutdownNow();
            }
        }
    }
}
