package io.gantry.app.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A docker-java stream callback (logs, pull progress) that hands what the stream delivers to the calling thread,
 * so that the caller's consumer runs on its own thread and the caller decides how long silence may last. The queue
 * is unbounded: docker-java's stream thread never blocks on a caller that has stopped reading.
 */
final class StreamQueue<T> extends ResultCallback.Adapter<T> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    @Override
    public void onNext(T item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        queue.add(new Failure(failure));
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * The next item, or empty at the end of the stream.
     *
     * @param silence how long to wait for it; empty waits as long as it takes
     * @throws TimeoutException when nothing came within {@code silence}
     * @throws ExecutionException with the stream's failure as its cause
     */
    @SuppressWarnings("unchecked")
    Optional<T> next(Optional<Duration> silence) throws InterruptedException, TimeoutException, ExecutionException {
        Object next = silence.isPresent() ? queue.poll(silence.get().toMillis(), TimeUnit.MILLISECONDS) : queue.take();
        if (next == null) {
            throw new TimeoutException("nothing within " + silence.get());
        }
        if (next == END) {
            return Optional.empty();
        }
        if (next instanceof Failure failure) {
            throw new ExecutionException(failure.cause());
        }
        return Optional.of((T) next);
    }

    private record Failure(Throwable cause) {
    }
}
