package io.gantry.app.mqtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded HiveMQ Community Edition broker on 127.0.0.1, so that a newcomer can try Gantry with nothing but
 * Docker ({@code gantry run --embedded-broker}, DESIGN.md "Broker").
 *
 * <p>It keeps everything in memory, sends no usage statistics, leaves the logging configuration alone and lets
 * every local client in (it listens on the loopback address only). Its files live in a fresh folder under the
 * given parent, removed on {@link #stop()}. The broker's jars (about 80 MiB) are an optional dependency that the
 * Debian package leaves out; without them {@link #start()} fails with {@link #UNAVAILABLE} and nothing else.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** The port an MQTT broker usually listens on. */
    public static final int DEFAULT_PORT = 1883;

    /** What {@link #start()} says when the broker's classes are not installed. */
    public static final String UNAVAILABLE =
            "the embedded broker is not part of this installation; use an external broker (connection.broker_url)";

    static final String ENTRY_CLASS = "com.hivemq.embedded.EmbeddedHiveMQ";
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final int port;
    private final Path parent;
    private final Predicate<String> classPresent;
    private volatile HiveMqCeBroker running;

    EmbeddedBroker(int port, Path parent, Predicate<String> classPresent) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the embedded broker's port must be 1-65535, got " + port);
        }
        this.port = port;
        this.parent = Objects.requireNonNull(parent, "parent");
        this.classPresent = Objects.requireNonNull(classPresent, "classPresent");
    }

    /** A broker that will listen on {@code 127.0.0.1:port} and keep its files under {@code parent} (not started). */
    public static EmbeddedBroker of(int port, Path parent) {
        return new EmbeddedBroker(port, parent, EmbeddedBroker::loadable);
    }

    /** Whether the broker's classes are installed (they are not in the Debian package). */
    public static boolean isAvailable() {
        return loadable(ENTRY_CLASS);
    }

    /**
     * Starts the broker and returns when it accepts connections.
     *
     * @throws EmbeddedBrokerException with {@link #UNAVAILABLE} when its classes are absent, or saying why it
     *                                 could not start (for example, the port is taken)
     * @throws IllegalStateException   when already started
     */
    public void start() {
        if (!classPresent.test(ENTRY_CLASS)) {
            throw new EmbeddedBrokerException(UNAVAILABLE);
        }
        if (running != null) {
            throw new IllegalStateException("the embedded broker is already running on " + url());
        }
        long begin = System.nanoTime();
        try {
            running = HiveMqCeBroker.start(port, Files.createTempDirectory(parent, "gantry-broker-"));
        } catch (IOException e) {
            throw new EmbeddedBrokerException("the embedded broker cannot create its folder under " + parent + ": "
                    + e.getMessage(), e);
        } catch (LinkageError e) {
            // The entry class is there but something it needs is not: a partial installation.
            throw new EmbeddedBrokerException(UNAVAILABLE + " (" + e + ")", e);
        }
        LOG.info("Embedded MQTT broker listening on {} (started in {} ms)", url(),
                Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }

    /** The URL to give {@code connection.broker_url}: {@code tcp://127.0.0.1:<port>}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the broker (this takes a few seconds) and removes its folder; does nothing when not running. */
    public void stop() {
        HiveMqCeBroker broker = running;
        running = null;
        if (broker != null) {
            broker.stop();
            LOG.info("Embedded MQTT broker stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static boolean loadable(String className) {
        try {
            Class.forName(className, false, EmbeddedBroker.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
