package io.gantry.app.dashboard;

import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.LogOptions;
import io.gantry.core.container.LogSink;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Follows one container's log for a page: the engine's stream is read on a thread of the dashboard's log pool and cut
 * into lines (at most {@link #MAX_LINE} characters each), which wait in a bounded queue for the HTTP thread that sends
 * them. {@link #close()} ends the engine's stream. Lines beyond the queue are counted as dropped, never buffered.
 */
final class LogFollower implements AutoCloseable {

    static final int TAIL = 200;
    static final int MAX_LINE = 8192;
    private static final int QUEUE = 1024;

    /** One line of output; {@code end} marks that the stream has ended (the container stopped, or an error). */
    record Line(boolean stderr, String text, boolean end) {
        Line {
            Objects.requireNonNull(text, "text");
        }
    }

    private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(QUEUE);
    private final StringBuilder[] partial = {new StringBuilder(), new StringBuilder()};
    private final Future<?> reading;
    private volatile long dropped;

    private LogFollower(ContainerEngine engine, ContainerId id, ExecutorService pool) {
        reading = pool.submit(() -> {
            String end = "end of log";
            try {
                engine.logs(id, new LogOptions(true, OptionalInt.of(TAIL), false), this::write);
            } catch (EngineException e) {
                end = "the log ended: " + e.getMessage();
            }
            flush(0);
            flush(1);
            put(new Line(false, end, true));
        });
    }

    /**
     * Starts following.
     *
     * @throws HttpProblem 503 when the pool has no room for another follower
     */
    static LogFollower start(ContainerEngine engine, ContainerId id, ExecutorService pool) {
        try {
            return new LogFollower(engine, id, pool);
        } catch (RejectedExecutionException e) {
            throw new HttpProblem(503, "too many logs are followed at once; close one and try again");
        }
    }

    /** The next line, or null when none came within {@code millis}. */
    Line next(long millis) throws InterruptedException {
        return lines.poll(millis, TimeUnit.MILLISECONDS);
    }

    long dropped() {
        return dropped;
    }

    private void write(LogSink.Stream stream, byte[] bytes) {
        int s = stream == LogSink.Stream.STDERR ? 1 : 0;
        StringBuilder buffer = partial[s];
        for (char ch : new String(bytes, StandardCharsets.UTF_8).toCharArray()) {
            if (ch == '\n') {
                flush(s);
            } else if (buffer.length() < MAX_LINE) {
                buffer.append(ch);
            }
        }
    }

    private void flush(int s) {
        if (partial[s].length() > 0) {
            put(new Line(s == 1, partial[s].toString(), false));
            partial[s].setLength(0);
        }
    }

    private void put(Line line) {
        if (!lines.offer(line)) {
            dropped++;
        }
    }

    @Override
    public void close() {
        reading.cancel(true);
    }
}
