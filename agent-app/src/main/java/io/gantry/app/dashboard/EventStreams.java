package io.gantry.app.dashboard;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * The open server-sent event streams of the dashboard's pages, and the one way to push to all of them. At most
 * {@link #MAX_CLIENTS} streams are open at once (each holds an HTTP thread); a stream whose page reads too slowly to
 * keep up with {@link #QUEUE} frames is dropped, and the page reconnects. Thread-safe.
 */
final class EventStreams {

    static final int MAX_CLIENTS = 6;
    private static final int QUEUE = 256;

    /** One open stream: frames wait here for the HTTP thread that writes them. */
    final class Client implements AutoCloseable {
        private final BlockingQueue<String> frames = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean dropped;

        /** The next frame, or empty when none came within {@code wait}. */
        Optional<String> next(Duration wait) throws InterruptedException {
            return Optional.ofNullable(frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
        }

        boolean dropped() {
            return dropped;
        }

        private void offer(String frame) {
            if (!frames.offer(frame)) {
                dropped = true;
                clients.remove(this);
            }
        }

        @Override
        public void close() {
            clients.remove(this);
        }
    }

    private final Set<Client> clients = new CopyOnWriteArraySet<>();

    /** A new stream, or empty when {@link #MAX_CLIENTS} are open. */
    synchronized Optional<Client> open() {
        if (clients.size() >= MAX_CLIENTS) {
            return Optional.empty();
        }
        Client c = new Client();
        clients.add(c);
        return Optional.of(c);
    }

    /** Sends {@code data} (one line of JSON) as event {@code event} to every open stream. */
    void broadcast(String event, String data) {
        String frame = frame(event, data);
        clients.forEach(c -> c.offer(frame));
    }

    int size() {
        return clients.size();
    }

    /** The text/event-stream form of one event (the data is one line: JSON without line breaks). */
    static String frame(String event, String data) {
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("event data must be one line");
        }
        return "event: " + event + "\ndata: " + data + "\n\n";
    }
}
