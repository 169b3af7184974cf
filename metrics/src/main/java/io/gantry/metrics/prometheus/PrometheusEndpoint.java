package io.gantry.metrics.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gantry.core.concurrent.Threads;
import io.gantry.metrics.agent.AgentMetrics;
import io.gantry.metrics.report.MetricsReporter;
import io.gantry.metrics.sampling.Sampler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional HTTP endpoint ({@code metrics.prometheus}) that serves {@code GET /metrics} in the Prometheus text
 * format, or OpenMetrics when the scraper's {@code Accept} header asks for it: every running container's figures and
 * Gantry's own. It is built on the JDK's HTTP server and answers one
 * scrape at a time on the thread {@code gantry-prometheus}; the figures themselves are read on the metrics thread.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusEndpoint.class);
    private static final Pattern LISTEN = Pattern.compile("^(?:\\[([^]]+)]|([^:\\[\\]]+)):(\\d{1,5})$");
    private static final long SCRAPE_WAIT_SECONDS = 10;

    private final HttpServer server;
    private final ExecutorService executor;
    private final MetricsReporter reporter;

    private PrometheusEndpoint(HttpServer server, ExecutorService executor, MetricsReporter reporter) {
        this.server = server;
        this.executor = executor;
        this.reporter = reporter;
    }

    /**
     * Starts serving on {@code listen} ({@code host:port}, {@code [v6]:port}; port 0 picks a free port).
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public static PrometheusEndpoint start(String listen, MetricsReporter reporter, AgentMetrics agent)
            throws IOException {
        return start(listen, reporter, agent, List::of);
    }

    /**
     * Starts serving, with the families {@code more} reads at each scrape (the disk figures); families it cannot
     * read are left out of that scrape.
     */
    public static PrometheusEndpoint start(String listen, MetricsReporter reporter, AgentMetrics agent,
                                           Supplier<List<MetricFamily>> more) throws IOException {
        Objects.requireNonNull(reporter, "reporter");
        Objects.requireNonNull(agent, "agent");
        HttpServer server = HttpServer.create(address(listen), 0);
        ExecutorService executor = Threads.single("gantry-prometheus");
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, reporter, agent, more));
        reporter.serveFigures(true);
        server.start();
        PrometheusEndpoint endpoint = new PrometheusEndpoint(server, executor, reporter);
        LOG.info("Serving Prometheus metrics at http://{}/metrics", listen);
        return endpoint;
    }

    /** Reads {@code host:port} or {@code [v6]:port} without resolving anything but the host itself. */
    public static InetSocketAddress address(String listen) {
        Matcher m = LISTEN.matcher(listen == null ? "" : listen.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not host:port: " + listen);
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new IllegalArgumentException("port out of range: " + listen);
        }
        return new InetSocketAddress(m.group(1) != null ? m.group(1) : m.group(2), port);
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        Threads.shutdown(executor, 2);
        reporter.serveFigures(false);
    }

    private static void serve(HttpExchange exchange, MetricsReporter reporter, AgentMetrics agent,
                              Supplier<List<MetricFamily>> more) {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics")) {
                respond(exchange, path.equals("/") ? 200 : 404, "text/plain; charset=utf-8",
                        path.equals("/") ? "Gantry: metrics are at /metrics\n" : "not found\n");
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
                return;
            }
            List<MetricFamily> families = new ArrayList<>(Families.agent(agent));
            families.addAll(Families.containers(figures(reporter)));
            families.addAll(more(more));
            TextFormat.Rendered rendered = TextFormat.write(families,
                    exchange.getRequestHeaders().getFirst("Accept"));
            respond(exchange, 200, rendered.contentType(), rendered.body());
        } catch (IOException | RuntimeException e) {
            // the scraper went away, or a defect: the next scrape tries again
            LOG.warn("Serving a Prometheus scrape failed: {}", e.toString());
        }
    }

    private static List<MetricFamily> more(Supplier<List<MetricFamily>> more) {
        try {
            return more.get();
        } catch (RuntimeException e) {
            LOG.warn("No disk figures for this scrape: {}", e.toString());
            return List.of();
        }
    }

    /** The containers' figures; none when the metrics thread does not answer in time (Gantry's own still go out). */
    private static Sampler.Reading figures(MetricsReporter reporter) {
        try {
            return reporter.figures().get(SCRAPE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.warn("No container figures for this scrape: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Sampler.Reading(List.of(), 0, 0, 0, 0);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        respond(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] bytes)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
