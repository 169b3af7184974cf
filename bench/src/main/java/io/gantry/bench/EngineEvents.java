package io.gantry.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/**
 * The engine's own container events with the engine's own timestamps ({@code timeNano}), so that a twin message can be
 * timed from the moment the engine reported the change rather than from when a CLI process was spawned.
 */
final class EngineEvents implements AutoCloseable {

    /** One container event: what happened, to which container, when the engine says it did. */
    record Seen(String action, String id, Instant at) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ResultCallback.Adapter<Event> callback;
    private final java.util.concurrent.ExecutorService inspector =
            java.util.concurrent.Executors.newSingleThreadExecutor();

    /**
     * Also inspects each container at once when it dies, and records when the engine answered as {@code inspected}:
     * how long after its {@code die} event the engine lets a client read the stopped state.
     */
    EngineEvents(DockerClient docker) {
        // "since" makes the engine replay what happened while the stream was being set up, so nothing is missed.
        String since = String.valueOf(Instant.now().getEpochSecond());
        callback = docker.eventsCmd().withSince(since).withEventTypeFilter(EventType.CONTAINER)
                .exec(new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Event event) {
                Long nanos = event.getTimeNano();
                Instant at = nanos == null ? Instant.ofEpochSecond(event.getTime())
                        : Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
                seen.add(new Seen(String.valueOf(event.getAction()), event.getId(), at));
                if ("die".equals(event.getAction())) {
                    inspector.execute(() -> {
                        try {
                            docker.inspectContainerCmd(event.getId()).exec();
                            seen.add(new Seen("inspected", event.getId(), Instant.now()));
                        } catch (RuntimeException e) {
                            seen.add(new Seen("inspect failed: " + e, event.getId(), Instant.now()));
                        }
                    });
                }
            }
        });
        try {
            callback.awaitStarted();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void clear() {
        seen.clear();
    }

    /** The first {@code action} event of container {@code id} since the last clear, waiting for it if need be. */
    Instant await(String action, String id) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() ->
                seen.stream().anyMatch(s -> s.action().equals(action) && s.id().equals(id)));
        return seen.stream().filter(s -> s.action().equals(action) && s.id().equals(id)).findFirst().orElseThrow()
                .at();
    }

    @Override
    public void close() {
        inspector.shutdownNow();
        try {
            callback.close();
        } catch (IOException e) {
            // the stream ends with the bench
        }
    }
}
