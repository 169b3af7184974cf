package io.gantry.app.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.gantry.config.Durations;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.ContainerNotFoundException;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineFailureException;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.ImagePullException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs blocking engine calls with a deadline and turns every failure into an {@link EngineException}: the one place
 * where docker-java's exceptions, transport errors and timeouts are translated.
 *
 * <p>The unix-socket transport enforces no response timeout (reference/dependencies.md, pitfall 2), so each call
 * runs on the pool {@code gantry-engine-N} and the caller waits at most the API timeout. On Java 16+ the
 * socket is a {@code SocketChannel}, which an interrupt closes, so a cancelled call also frees its thread.
 */
final class DockerCalls implements AutoCloseable {

    private static final Pattern STATUS_PREFIX = Pattern.compile("^Status (\\d{3}):\\s*(.*)$", Pattern.DOTALL);
    private static final ObjectMapper MESSAGE_READER = new ObjectMapper();

    private final String url;
    private final Duration timeout;
    /**
     * As many calls as the update agent makes at once (16 stops or removals and 4 other calls) plus the twin's and
     * the metrics' own, within the HTTP client's 32 connections: a call's deadline runs from its submission, so a
     * stop queued behind others must not wait for their timeouts.
     */
    private static final int THREADS = 24;

    private final ExecutorService pool = Threads.pool("gantry-engine", THREADS);

    DockerCalls(String url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    String url() {
        return url;
    }

    Duration timeout() {
        return timeout;
    }

    /** Runs {@code call} within the API timeout; {@code container} names the container it is about, if any. */
    <T> T run(String what, String container, Callable<T> call) {
        return run(what, container, Duration.ZERO, call);
    }

    /** As {@link #run(String, String, Callable)} for calls that legitimately take {@code extra} longer (a stop). */
    <T> T run(String what, String container, Duration extra, Callable<T> call) {
        Duration deadline = timeout.plus(extra);
        Future<T> future = pool.submit(call);
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new EngineUnavailableException("the engine at " + url + " did not answer " + what + " within "
                    + Durations.format(deadline), e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), what, container);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EngineFailureException(what + " was interrupted", e);
        }
    }

    void runVoid(String what, String container, Duration extra, Runnable call) {
        run(what, container, extra, () -> {
            call.run();
            return null;
        });
    }

    /**
     * Translates a failure of {@code what} (about {@code container}, which may be null) into an engine exception
     * whose message is one line for an operator.
     */
    EngineException translate(Throwable failure, String what, String container) {
        if (failure instanceof EngineException e) {
            return e;
        }
        if (failure instanceof DockerException e) {
            String message = engineMessage(e);
            if (e instanceof NotFoundException) {
                if (message.toLowerCase(Locale.ROOT).startsWith("no such image")) {
                    return new ImagePullException(ImagePullException.Reason.NOT_FOUND,
                            message + " (pull it first)", e);
                }
                if (container != null) {
                    return new ContainerNotFoundException(container, e);
                }
            }
            if (e instanceof ConflictException) {
                return new ContainerConflictException(message, e);
            }
            return new EngineFailureException(what + ": " + message, e);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) {
                return new EngineFailureException(what + ": unexpected answer from the engine at " + url + ": "
                        + oneLine(t.getMessage()), failure);
            }
            if (t instanceof IOException) {
                return new EngineUnavailableException("cannot reach the engine at " + url + ": "
                        + describe(t), failure);
            }
        }
        return new EngineFailureException(what + ": " + describe(failure), failure);
    }

    /** The engine's own message inside a docker-java exception: {@code Status 409: {"message":"..."}}. */
    static String engineMessage(DockerException e) {
        String text = e.getMessage() == null ? "" : e.getMessage().strip();
        Matcher m = STATUS_PREFIX.matcher(text);
        if (m.matches()) {
            text = m.group(2).strip();
        }
        if (text.startsWith("{")) {
            try {
                text = MESSAGE_READER.readTree(text).path("message").asText(text);
            } catch (JsonProcessingException notJson) {
                // keep the text as it is
            }
        }
        return oneLine(text.isEmpty() ? "HTTP status " + e.getHttpStatus() : text);
    }

    static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return oneLine(message);
    }

    static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
