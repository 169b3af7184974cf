package io.gantry.app.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running HiveMQ CE broker; the only class that names HiveMQ CE types, so that {@link EmbeddedBroker} loads
 * without them and can report their absence in one line.
 */
final class HiveMqCeBroker {

    private static final Logger LOG = LoggerFactory.getLogger(HiveMqCeBroker.class);
    private static final long START_SECONDS = 60;
    private static final long STOP_SECONDS = 30;

    private final EmbeddedHiveMQ hivemq;
    private final Path home;

    private HiveMqCeBroker(EmbeddedHiveMQ hivemq, Path home) {
        this.hivemq = hivemq;
        this.home = home;
    }

    static HiveMqCeBroker start(int port, Path home) throws IOException {
        // HiveMQ reports a taken port only as an UnrecoverableException without a message: look first.
        if (!free(port)) {
            delete(home);
            throw new EmbeddedBrokerException("the embedded broker cannot listen on 127.0.0.1:" + port
                    + " (is another broker running there?)");
        }
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), config(port), StandardCharsets.UTF_8);
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                // Keep Gantry's logging: the broker would otherwise reset Logback to its own configuration.
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(START_SECONDS, TimeUnit.SECONDS);
            return new HiveMqCeBroker(hivemq, home);
        } catch (ExecutionException e) {
            abandon(hivemq, home);
            throw new EmbeddedBrokerException("the embedded broker failed to start: " + HiveMqTransport.reason(e)
                    + " (its log lines above say why)", e);
        } catch (TimeoutException e) {
            abandon(hivemq, home);
            throw new EmbeddedBrokerException("the embedded broker did not start within " + START_SECONDS + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(hivemq, home);
            throw new EmbeddedBrokerException("interrupted while the embedded broker was starting", e);
        }
    }

    void stop() {
        try {
            hivemq.stop().get(STOP_SECONDS, TimeUnit.SECONDS);
            hivemq.close();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("The embedded broker did not stop cleanly: {}", HiveMqTransport.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delete(home);
        }
    }

    /** After a failed start, which HiveMQ has already logged: release what it holds, quietly. */
    private static void abandon(EmbeddedHiveMQ hivemq, Path home) {
        try {
            hivemq.close();
        } catch (ExecutionException | RuntimeException e) {
            LOG.debug("Closing the embedded broker after its failed start: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delete(home);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** In memory, loopback only, no usage statistics: a broker for trying things out, not for keeping data. */
    private static String config(int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>127.0.0.1</bind-address>
                        </tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port);
    }

    private static void delete(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("Could not remove the embedded broker's folder {}: {}", folder, e.toString());
        }
    }
}
