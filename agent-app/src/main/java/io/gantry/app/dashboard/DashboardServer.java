package io.gantry.app.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.gantry.core.concurrent.Threads;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP side on the JDK's HTTP server (HTTPS when a certificate is configured): the login, the gate
 * that every other request passes (a live session; for a POST also its CSRF token and a same-origin {@code Origin}),
 * and the routes. Every refusal is a short 4xx; nothing a request does reaches further than its own answer.
 *
 * <p>Threading: requests run on a pool of {@link #THREADS} threads {@code gantry-dashboard-http-N}; each open event
 * or log stream holds one of them, which is why both are capped.
 */
final class DashboardServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    static final String COOKIE = "gantry_session";
    /** Event streams and log streams together leave at least two threads for ordinary requests. */
    static final int THREADS = EventStreams.MAX_CLIENTS + 4 + 2;
    static final int MAX_LOGS = 4;
    private static final Duration KEEPALIVE = Duration.ofSeconds(15);
    private static final Pattern CONTAINER = Pattern.compile("^/api/containers/([^/]+)(?:/([a-z]+))?$");
    private static final String DESCRIPTORS = "/api/descriptors";

    private final HttpServer server;
    private final ExecutorService http;
    private final ExecutorService logPool;
    private final AtomicInteger logs = new AtomicInteger();
    private final boolean tls;
    private final boolean loopbackOnly;
    private final PasswordHash password;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final StaticFiles files;
    private final EventStreams streams;
    private final Board board;
    private final Actions actions;
    private final ContainerEngine engine;
    private final boolean actOnUnmanaged;
    private final StatusView status;
    private final DescriptorEditor editor;

    record Settings(InetSocketAddress address, Optional<SSLContext> tls, PasswordHash password, Sessions sessions,
                    LoginThrottle throttle, boolean actOnUnmanaged) {
        Settings {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(throttle, "throttle");
        }
    }

    DashboardServer(Settings settings, ContainerEngine engine, EventStreams streams, Board board, StatusView status,
                    StaticFiles files, DescriptorEditor editor) throws IOException {
        this.editor = Objects.requireNonNull(editor, "editor");
        this.tls = settings.tls().isPresent();
        this.loopbackOnly = settings.address().getAddress() != null
                && settings.address().getAddress().isLoopbackAddress();
        this.password = settings.password();
        this.sessions = settings.sessions();
        this.throttle = settings.throttle();
        this.actOnUnmanaged = settings.actOnUnmanaged();
        this.engine = engine;
        this.streams = streams;
        this.board = board;
        this.status = status;
        this.files = files;
        this.actions = new Actions(engine, settings.actOnUnmanaged());
        if (tls) {
            HttpsServer https = HttpsServer.create(settings.address(), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(settings.tls().get()));
            server = https;
        } else {
            server = HttpServer.create(settings.address(), 0);
        }
        http = Threads.pool("gantry-dashboard-http", THREADS);
        logPool = Threads.pool("gantry-dashboard-logs", MAX_LOGS);
        server.setExecutor(http);
        server.createContext("/", this::handle);
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        Threads.shutdown(logPool, 1);
        Threads.shutdown(http, 2);
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Replies.securityHeaders(exchange, tls);
            try {
                route(exchange);
            } catch (HttpProblem p) {
                if (p.contentType().startsWith("text/plain")) {
                    Replies.text(exchange, p.status(), p.getMessage());
                } else {
                    Replies.send(exchange, p.status(), p.contentType(), p.getMessage().getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            LOG.debug("A dashboard client went away: {}", e.toString());
        } catch (RuntimeException e) {
            // A defect: the client gets a short 500 (when the answer has not begun), the agent carries on.
            LOG.warn("The dashboard could not answer {} {}: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), e.toString());
            try {
                Replies.text(exchange, 500, "internal error");
            } catch (IOException | RuntimeException ignored) {
                // the answer had begun, or the client is gone
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        if (uri.toString().length() > Replies.MAX_URI) {
            throw new HttpProblem(414, "the address is too long");
        }
        checkHost(exchange);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/login")) {
            if (method.equals("POST")) {
                login(exchange);
            } else {
                get(exchange, method);
                Replies.send(exchange, 200, "text/html; charset=utf-8", files.loginPage(""));
            }
            return;
        }
        if (path.equals("/static/style.css")) { // the login page's look; nothing else is public
            get(exchange, method);
            files.send(exchange, "style.css");
            return;
        }
        String sessionId = Replies.cookie(exchange, COOKIE);
        boolean stream = path.equals("/api/events") || path.endsWith("/logs");
        Optional<Sessions.Session> session = stream ? sessions.peek(sessionId) : sessions.use(sessionId);
        if (session.isEmpty()) {
            if (method.equals("GET") && (path.equals("/") || path.equals("/container") || path.equals("/form"))) {
                Replies.redirect(exchange, "/login");
                return;
            }
            throw new HttpProblem(401, "log in first");
        }
        if (method.equals("POST")) {
            checkOrigin(exchange);
            Map<String, String> form = Replies.form(exchange);
            String token = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-CSRF-Token"))
                    .orElse(form.get("csrf"));
            if (!session.get().csrfMatches(token)) {
                LOG.warn("Dashboard: refused {} {} from {}: no valid CSRF token", method, path, client(exchange));
                throw new HttpProblem(403, "the request carries no valid CSRF token");
            }
            post(exchange, path, form);
            return;
        }
        get(exchange, method);
        switch (path) {
            case "/" -> files.send(exchange, "index.html");
            case "/container" -> files.send(exchange, "container.html");
            case "/form" -> files.send(exchange, "form.html");
            case DESCRIPTORS -> Replies.json(exchange, 200, editor.list().toString());
            case "/api/session" -> Replies.json(exchange, 200, ContainerView.JSON.createObjectNode()
                    .put("csrf", session.get().csrf()).put("act_on_unmanaged", actOnUnmanaged).toString());
            case "/api/events" -> events(exchange, sessionId);
            case "/api/status" -> Replies.json(exchange, 200, status.json().toString());
            default -> {
                if (path.startsWith("/static/")) {
                    files.send(exchange, path.substring("/static/".length()));
                    return;
                }
                if (path.startsWith(DESCRIPTORS + "/")) {
                    Replies.json(exchange, 200, editor.load(path.substring(DESCRIPTORS.length() + 1)).toString());
                    return;
                }
                Matcher m = CONTAINER.matcher(path);
                if (!m.matches()) {
                    throw new HttpProblem(404, "not found");
                }
                if (m.group(2) == null) {
                    detail(exchange, m.group(1));
                } else if (m.group(2).equals("logs")) {
                    logs(exchange, m.group(1), sessionId);
                } else {
                    throw new HttpProblem(404, "not found");
                }
            }
        }
    }

    private static void get(HttpExchange exchange, String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new HttpProblem(405, "method not allowed");
        }
    }

    private void post(HttpExchange exchange, String path, Map<String, String> form) throws IOException {
        if (path.equals("/logout")) {
            sessions.end(Replies.cookie(exchange, COOKIE));
            exchange.getResponseHeaders().add("Set-Cookie", cookie("", 0));
            Replies.redirect(exchange, "/login");
            return;
        }
        if (path.equals(DESCRIPTORS)) {
            String file = editor.save(form, client(exchange));
            Replies.json(exchange, 200, ContainerView.JSON.createObjectNode().put("file", file)
                    .put("message", file + " written; the deployment applies it within a few seconds").toString());
            return;
        }
        Matcher m = CONTAINER.matcher(path);
        if (!m.matches() || m.group(2) == null) {
            throw new HttpProblem(404, "not found");
        }
        String done = actions.run(m.group(1), m.group(2), form, client(exchange));
        Replies.json(exchange, 200, ContainerView.JSON.createObjectNode().put("message", done).toString());
    }

    private void login(HttpExchange exchange) throws IOException {
        checkOrigin(exchange);
        String who = client(exchange);
        Duration wait = throttle.waitFor(who);
        if (!wait.isZero()) {
            LOG.warn("Dashboard: login from {} refused without a check: too many failed logins", who);
            exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(1, wait.toSeconds())));
            Replies.send(exchange, 429, "text/html; charset=utf-8",
                    files.loginPage("Too many failed logins. Try again in " + Math.max(1, wait.toSeconds()) + " s."));
            return;
        }
        String given = Replies.form(exchange).getOrDefault("password", "");
        char[] chars = given.toCharArray();
        boolean ok;
        try {
            ok = !given.isEmpty() && given.length() <= 1024 && password.matches(chars);
        } finally {
            java.util.Arrays.fill(chars, '\0');
        }
        if (!ok) {
            int failures = throttle.failed(who);
            LOG.warn("Dashboard: wrong password from {} ({} failed within {})", who, failures,
                    io.gantry.config.Durations.format(LoginThrottle.WINDOW));
            Replies.send(exchange, 401, "text/html; charset=utf-8", files.loginPage("Wrong password."));
            return;
        }
        throttle.succeeded(who);
        sessions.end(Replies.cookie(exchange, COOKIE));
        Sessions.Session s = sessions.create();
        LOG.info("Dashboard: login from {}", who);
        exchange.getResponseHeaders().add("Set-Cookie", cookie(s.id(), -1));
        Replies.redirect(exchange, "/");
    }

    private String cookie(String value, int maxAge) {
        return COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (tls ? "; Secure" : "")
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    private void detail(HttpExchange exchange, String id) throws IOException {
        Container c = actions.find(id);
        ObjectNode node = ContainerView.detail(c, actOnUnmanaged);
        try {
            node.set("history", board.history(c.id()).get(5, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            node.putArray("history");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "the dashboard is stopping");
        }
        Replies.json(exchange, 200, node.toString());
    }

    /** The live list: the current state at once, then every change as the board pushes it. */
    private void events(HttpExchange exchange, String sessionId) throws IOException {
        EventStreams.Client client = streams.open()
                .orElseThrow(() -> new HttpProblem(503, "too many pages are open; close one and reload"));
        try (client) {
            OutputStream out = startStream(exchange);
            for (String frame : board.latest()) {
                out.write(frame.getBytes(StandardCharsets.UTF_8));
            }
            out.write(EventStreams.frame("status", status.json().toString()).getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!client.dropped() && sessions.peek(sessionId).isPresent()) {
                String frame = client.next(KEEPALIVE).orElse(": keepalive\n\n");
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            if (sessions.peek(sessionId).isEmpty()) {
                out.write(EventStreams.frame("expired", "{}").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void logs(HttpExchange exchange, String id, String sessionId) throws IOException {
        Container c = actions.find(id);
        if (logs.incrementAndGet() > MAX_LOGS) {
            logs.decrementAndGet();
            throw new HttpProblem(503, "too many logs are followed at once; close one and try again");
        }
        try (LogFollower follower = LogFollower.start(engine, c.id(), logPool)) {
            OutputStream out = startStream(exchange);
            long keepalive = System.nanoTime();
            while (sessions.peek(sessionId).isPresent()) {
                LogFollower.Line line = follower.next(1000);
                if (line == null) {
                    if (System.nanoTime() - keepalive > KEEPALIVE.toNanos()) {
                        out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        keepalive = System.nanoTime();
                    }
                    continue;
                }
                String data = ContainerView.JSON.createObjectNode().put("err", line.stderr()).put("text", line.text())
                        .toString();
                out.write(EventStreams.frame(line.end() ? "end" : "line", data).getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (line.end()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            logs.decrementAndGet();
        }
    }

    private static OutputStream startStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    /**
     * On a loopback address, only loopback host names are served: a web page elsewhere cannot rebind its own name to
     * 127.0.0.1 and read the dashboard (DNS rebinding).
     */
    private void checkHost(HttpExchange exchange) {
        if (!loopbackOnly) {
            return;
        }
        String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("");
        String name = host.startsWith("[") ? host.substring(0, Math.max(1, host.indexOf(']') + 1))
                : host.replaceFirst(":\\d+$", "");
        if (!name.equals("localhost") && !isLoopbackLiteral(name)) {
            throw new HttpProblem(421, "this dashboard answers only to localhost");
        }
    }

    private static boolean isLoopbackLiteral(String name) {
        String literal = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // never resolve a name here
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    /** A POST from a page of another origin is refused, whatever it carries. */
    private void checkOrigin(HttpExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null) {
            return; // not a browser, or an old one: the CSRF token and the SameSite cookie still apply
        }
        String expected = (tls ? "https://" : "http://") + exchange.getRequestHeaders().getFirst("Host");
        if (!origin.equals(expected)) {
            LOG.warn("Dashboard: refused a POST from origin {} (expected {})", origin, expected);
            throw new HttpProblem(403, "the request comes from another site");
        }
    }

    private static String client(HttpExchange exchange) {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
