package io.gantry.app.dashboard;

import io.gantry.core.time.TimeSync;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.app.registry.SavedCredentials;
import io.gantry.app.status.LiveStatus;
import io.gantry.config.AgentConfig;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.metrics.report.MetricsReporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's gate, against a real HTTP server on loopback with a fake engine: what passes without a login (only
 * the login page and its style sheet), what a wrong password, a missing CSRF token, a foreign origin, an unknown id or
 * an oversized body get, and that none of them changes the engine.
 */
class DashboardServerTest {

    private static final String PASSWORD = "correct horse battery";
    private static final String IMAGE = "gantry-test/busybox:1";

    private FakeContainerEngine engine;
    private MetricsReporter reporter;
    private Board board;
    private DashboardServer server;
    private String base;
    private ContainerId managed;
    private ContainerId byHand;
    @TempDir
    Path descriptors;
    @TempDir
    Path stateDir;
    private final Map<String, String> refusals = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws IOException {
        engine = new FakeContainerEngine().withImage(IMAGE);
        managed = engine.create(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("web")).build(),
                Map.of());
        engine.start(managed);
        byHand = engine.addUnmanaged(ContainerSpec.builder(ImageRef.parse(IMAGE)).name(new ContainerName("manual"))
                .buildAsReported());
        reporter = MetricsReporter.startEngineOnly(engine, snapshot -> { }, Duration.ofSeconds(1), Clock.systemUTC());
        serve(false);
    }

    private void serve(boolean actOnUnmanaged) throws IOException {
        if (server != null) {
            server.close();
            board.close();
        }
        EventStreams streams = new EventStreams();
        board = new Board(engine, reporter, actOnUnmanaged, streams);
        board.start();
        StatusView status = new StatusView(new StatusView.Sources(LiveStatus::ofThisProcess,
                () -> TimeSync.notSynchronised("the test's status file is empty"), () -> AgentConfig.DEFAULTS,
                Optional::empty, new UpdateFeed()));
        server = new DashboardServer(new DashboardServer.Settings(new InetSocketAddress("127.0.0.1", 0),
                Optional.empty(), PasswordHash.of(PASSWORD.toCharArray(), 1000),
                new Sessions(Duration.ofMinutes(5), Clock.systemUTC()), new LoginThrottle(Clock.systemUTC()),
                actOnUnmanaged), engine, streams, board, status, new StaticFiles(),
                new DescriptorEditor(() -> descriptors, new Dashboard.Descriptors(
                        file -> Optional.ofNullable(refusals.get(file)), SavedCredentials.load(stateDir))));
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @Test
    void withActOnUnmanaged_aContainerMadeByHand_canBeStopped() throws Exception {
        engine.start(byHand);
        serve(true);
        String session = session(login(PASSWORD));
        assertThat(get("/api/containers/" + byHand.value(), session).body()).contains("\"actions\":true",
                "\"managed_by\":\"by hand\"");
        HttpResponse<String> stop = post("/api/containers/" + byHand.value() + "/stop", session, "",
                Map.of("X-CSRF-Token", csrf(session)));
        assertThat(stop.statusCode()).isEqualTo(200);
        assertThat(engine.inspect(byHand).orElseThrow().state().isRunning()).isFalse();
    }

    @AfterEach
    void stop() {
        server.close();
        board.close();
        reporter.close();
    }

    @Test
    void withoutLogin_pagesRedirectToLogin_andEndpointsAre401() throws Exception {
        assertThat(get("/", null).statusCode()).isEqualTo(303);
        assertThat(get("/", null).headers().firstValue("Location")).contains("/login");
        assertThat(get("/container?id=" + managed.value(), null).statusCode()).isEqualTo(303);
        for (String path : new String[] {"/api/session", "/api/events", "/api/status", "/static/app.js",
                "/api/containers/" + managed.value(), "/api/containers/" + managed.value() + "/logs", "/nothing"}) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(get("/login", null).statusCode()).isEqualTo(200);
        assertThat(get("/static/style.css", null).statusCode()).isEqualTo(200);
        assertThat(post("/api/containers/" + managed.value() + "/stop", null, "", Map.of()).statusCode())
                .isEqualTo(401);
        assertThat(engine.inspect(managed).orElseThrow().state().isRunning()).isTrue();
    }

    @Test
    void everyAnswer_carriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> login = get("/login", null);
        assertThat(login.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"));
        assertThat(login.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(login.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(get("/nothing", null).headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void wrongPassword_isRefused_andTheSixthTryWithinAMinuteIsNotEvenChecked() throws Exception {
        for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
            HttpResponse<String> r = login("guess" + i);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("Wrong password.");
            assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        }
        HttpResponse<String> throttled = login(PASSWORD);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void login_givesAnHttpOnlyStrictCookie_andTheCsrfTokenOnlyThroughTheApi() throws Exception {
        HttpResponse<String> r = login(PASSWORD);
        assertThat(r.statusCode()).isEqualTo(303);
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/");
        String session = session(r);
        assertThat(get("/", session).statusCode()).isEqualTo(200);
        assertThat(get("/api/session", session).body()).contains("\"csrf\":");
    }

    @Test
    void actionWithoutOrWithAWrongCsrfToken_isRefused_andTheContainerKeepsRunning() throws Exception {
        String session = session(login(PASSWORD));
        String path = "/api/containers/" + managed.value() + "/stop";
        assertThat(post(path, session, "", Map.of()).statusCode()).isEqualTo(403);
        assertThat(post(path, session, "", Map.of("X-CSRF-Token", "forged")).statusCode()).isEqualTo(403);
        assertThat(post(path, session, "csrf=forged", Map.of()).statusCode()).isEqualTo(403);
        assertThat(engine.inspect(managed).orElseThrow().state().isRunning()).isTrue();
        HttpResponse<String> ok = post(path, session, "", Map.of("X-CSRF-Token", csrf(session)));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(engine.inspect(managed).orElseThrow().state().isRunning()).isFalse();
        HttpResponse<String> restart = post("/api/containers/" + managed.value() + "/restart", session, "",
                Map.of("X-CSRF-Token", csrf(session)));
        assertThat(restart.statusCode()).isEqualTo(200);
        assertThat(engine.inspect(managed).orElseThrow().state().isRunning()).isTrue();
    }

    @Test
    void aPostFromAnotherOrigin_isRefused_evenWithTheToken() throws Exception {
        String session = session(login(PASSWORD));
        HttpResponse<String> r = post("/api/containers/" + managed.value() + "/stop", session, "",
                Map.of("X-CSRF-Token", csrf(session), "Origin", "http://evil.example"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(engine.inspect(managed).orElseThrow().state().isRunning()).isTrue();
    }

    @Test
    void badActions_getClear4xx() throws Exception {
        String session = session(login(PASSWORD));
        Map<String, String> token = Map.of("X-CSRF-Token", csrf(session));
        String unknown = "0".repeat(64);
        assertThat(post("/api/containers/" + unknown + "/stop", session, "", token).statusCode()).isEqualTo(404);
        assertThat(post("/api/containers/web/stop", session, "", token).statusCode()).isEqualTo(400);
        assertThat(post("/api/containers/" + managed.value() + "/explode", session, "", token).statusCode())
                .isEqualTo(404);
        HttpResponse<String> byHandStop = post("/api/containers/" + byHand.value() + "/stop", session, "", token);
        assertThat(byHandStop.statusCode()).isEqualTo(403);
        assertThat(byHandStop.body()).contains("act_on_unmanaged");
        HttpResponse<String> unconfirmed = post("/api/containers/" + managed.value() + "/remove", session, "", token);
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(engine.inspect(managed)).isPresent();
        HttpResponse<String> twice = post("/api/containers/" + managed.value() + "/start", session, "", token);
        assertThat(twice.statusCode()).isEqualTo(409);
        assertThat(twice.body()).contains("already running").doesNotContain("Exception", "at io.gantry");
        assertThat(get("/api/containers/" + unknown, session).statusCode()).isEqualTo(404);
        assertThat(post("/api/containers/" + managed.value() + "/remove", session, "confirm=web", token).statusCode())
                .isEqualTo(200);
        assertThat(engine.inspect(managed)).isEmpty();
    }

    @Test
    void hugeOrMalformedRequests_get4xx_andTheServerAnswersOnAfterwards() throws Exception {
        String session = session(login(PASSWORD));
        Map<String, String> token = Map.of("X-CSRF-Token", csrf(session));
        String path = "/api/containers/" + managed.value() + "/remove";
        assertThat(post(path, session, "confirm=" + "x".repeat(Replies.MAX_BODY), token).statusCode()).isEqualTo(413);
        assertThat(post(path, session, "confirm=%zz", token).statusCode()).isEqualTo(400);
        assertThat(get("/" + "a".repeat(Replies.MAX_URI), session).statusCode()).isEqualTo(414);
        assertThat(raw("GET / HTTP/1.1\r\nHost: attacker.example\r\n\r\n")).startsWith("HTTP/1.1 421");
        assertThat(raw("garbage\r\n\r\n")).startsWith("HTTP/1.1 400");
        assertThat(engine.inspect(managed)).isPresent();
        assertThat(get("/api/session", session).statusCode()).isEqualTo(200);
    }

    @Test
    void theSpecShown_masksCredentialsInTheEnvironment() throws Exception {
        ContainerId withSecret = engine.create(ContainerSpec.builder(ImageRef.parse(IMAGE))
                .name(new ContainerName("db")).env(java.util.List.of(io.gantry.core.container.EnvVar.parse(
                        "DB_PASSWORD=hunter2"), io.gantry.core.container.EnvVar.parse("MODE=fast"))).build(), Map.of());
        String session = session(login(PASSWORD));
        String body = get("/api/containers/" + withSecret.value(), session).body();
        assertThat(body).contains("DB_PASSWORD=****", "MODE=fast").doesNotContain("hunter2");
    }

    @Test
    void theStatus_saysWhetherTheSystemClockIsSynchronised() throws Exception {
        String session = session(login(PASSWORD));

        assertThat(get("/api/status", session).body()).contains("\"clock\":{\"state\":\"not_synchronised\","
                + "\"description\":\"not synchronised (the test's status file is empty)\"}");
    }

    @Test
    void logout_endsTheSession() throws Exception {
        String session = session(login(PASSWORD));
        assertThat(post("/logout", session, "csrf=" + csrf(session), Map.of()).statusCode()).isEqualTo(303);
        assertThat(get("/api/session", session).statusCode()).isEqualTo(401);
    }

    @Test
    void theForm_writesAValidDescriptorFile_andLoadsItBackWithoutTheCsrfToken() throws Exception {
        String session = session(login(PASSWORD));
        String csrf = csrf(session);
        HttpResponse<String> created = post("/api/descriptors", session, "csrf=" + csrf + "&name=web2&image="
                + "gantry-test%2Fbusybox&tag=1&ports=8080%3A80%2Ftcp&env=A%3D1%0D%0AB%3D2&restart=always&enabled=on",
                Map.of());

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.body()).contains("\"file\":\"web2.json\"");
        assertThat(Files.readString(descriptors.resolve("web2.json"))).contains("\"container_name\" : \"web2\"",
                "\"name\" : \"gantry-test/busybox:1\"", "\"container_port\" : 80", "\"A=1\"");
        try (var listing = Files.list(descriptors)) {
            assertThat(listing.map(f -> f.getFileName().toString())).containsExactly("web2.json"); // no temporary
        }
        HttpResponse<String> loaded = get("/api/descriptors/web2.json", session);
        assertThat(loaded.statusCode()).isEqualTo(200);
        assertThat(loaded.body()).contains("\"ports\":\"8080:80/tcp\"", "\"tag\":\"1\"", "\"enabled\":\"on\"")
                .doesNotContain(csrf);
    }

    @Test
    void aBadValue_isRefusedWithTheFilesOwnError_nextToItsField_andNothingIsWritten() throws Exception {
        String session = session(login(PASSWORD));

        HttpResponse<String> refused = post("/api/descriptors", session, "name=web2&image=busybox&ports=8080%3Aeighty",
                Map.of("X-CSRF-Token", csrf(session)));

        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(refused.body()).contains("\"ports\":\"host_config.port_mappings[0].container_port: expected a"
                + " whole number, got the string \\\"eighty\\\"\"");
        try (var listing = Files.list(descriptors)) {
            assertThat(listing).isEmpty();
        }
    }

    @Test
    void forgedOrMalformedForms_getClear4xx_andWriteNothing() throws Exception {
        String session = session(login(PASSWORD));
        String csrf = csrf(session);
        Files.writeString(descriptors.resolve("old.json"), "{\"image\": {\"name\": \"busybox\"}}");

        assertThat(post("/api/descriptors", session, "name=x&image=busybox", Map.of()).statusCode()).isEqualTo(403);
        assertThat(post("/api/descriptors", session, "name=x&image=busybox&volume=%2F", Map.of("X-CSRF-Token", csrf))
                .statusCode()).isEqualTo(400);
        assertThat(post("/api/descriptors", session, "file=..%2Fetc%2Fpasswd.json&name=x&image=busybox",
                Map.of("X-CSRF-Token", csrf)).statusCode()).isEqualTo(400);
        assertThat(post("/api/descriptors", session, "name=old&image=busybox", Map.of("X-CSRF-Token", csrf))
                .statusCode()).as("a new file over an existing one").isEqualTo(409);
        assertThat(post("/api/descriptors", session, "file=old.json&digest=stale&name=old&image=busybox",
                Map.of("X-CSRF-Token", csrf)).statusCode()).as("an edit of a file changed since").isEqualTo(409);
        assertThat(post("/api/descriptors", session, "name=x&image=" + "a".repeat(20_000),
                Map.of("X-CSRF-Token", csrf)).statusCode()).isEqualTo(413);
        assertThat(get("/api/descriptors/..%2Fconfig.json", session).statusCode()).isEqualTo(400);
        assertThat(get("/api/descriptors/none.json", session).statusCode()).isEqualTo(404);
        try (var listing = Files.list(descriptors)) {
            assertThat(listing.map(f -> f.getFileName().toString())).containsExactly("old.json");
        }
        assertThat(Files.readString(descriptors.resolve("old.json"))).isEqualTo("{\"image\": {\"name\": \"busybox\"}}");
    }

    @Test
    void registryCredentials_areSavedBesideTheFile_andTheirPasswordNeverComesBack() throws Exception {
        String session = session(login(PASSWORD));
        String csrf = csrf(session);

        HttpResponse<String> created = post("/api/descriptors", session, "name=app&image=registry.local%3A5000%2Fapp"
                + "&tag=1&enabled=on&registry_user=gateway17&registry_password=s3cret-token", Map.of("X-CSRF-Token", csrf));

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(Files.readString(descriptors.resolve("app.json"))).doesNotContain("s3cret-token", "gateway17");
        Path saved = stateDir.resolve("registry-credentials.json");
        assertThat(Files.readString(saved)).contains("registry.local:5000", "gateway17", "s3cret-token");
        assertThat(Files.getPosixFilePermissions(saved)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        HttpResponse<String> loaded = get("/api/descriptors/app.json", session);
        assertThat(loaded.body()).contains("\"registry_user\":\"gateway17\"", "\"registry_password_set\":true")
                .doesNotContain("s3cret-token");
        String digest = loaded.body().replaceFirst(".*\"digest\":\"([0-9a-f]+)\".*", "$1");
        assertThat(post("/api/descriptors", session, "file=app.json&digest=" + digest + "&name=app&image="
                + "registry.local%3A5000%2Fapp&tag=2&enabled=on&registry_user=gateway17", Map.of("X-CSRF-Token", csrf))
                .statusCode()).as("an empty password keeps the saved one").isEqualTo(200);
        assertThat(SavedCredentials.load(stateDir).over(AgentConfig.DEFAULTS).registry("registry.local:5000")
                .orElseThrow().credentials().password().value()).isEqualTo("s3cret-token");
        assertThat(post("/api/descriptors", session, "name=other&image=registry.local%3A5000%2Fapp&enabled=on"
                + "&registry_user=someone", Map.of("X-CSRF-Token", csrf)).body()).contains("registry_password");
    }

    @Test
    void credentialsInTheEnvironment_areMaskedInTheForm_andKeptWhenSavedMasked() throws Exception {
        Files.writeString(descriptors.resolve("db.json"), "{\"container_name\": \"db\", \"image\": {\"name\":"
                + " \"busybox\"}, \"config\": {\"env\": [\"DB_PASSWORD=hunter2\", \"TZ=UTC\"]}}");
        String session = session(login(PASSWORD));

        HttpResponse<String> loaded = get("/api/descriptors/db.json", session);

        assertThat(loaded.body()).contains("DB_PASSWORD=****\\nTZ=UTC").doesNotContain("hunter2");
        String digest = loaded.body().replaceFirst(".*\"digest\":\"([0-9a-f]+)\".*", "$1");
        assertThat(post("/api/descriptors", session, "file=db.json&digest=" + digest + "&name=db&image=busybox"
                + "&enabled=on&env=DB_PASSWORD%3D****%0ATZ%3DEurope%2FBerlin", Map.of("X-CSRF-Token", csrf(session)))
                .statusCode()).isEqualTo(200);
        assertThat(Files.readString(descriptors.resolve("db.json"))).contains("DB_PASSWORD=hunter2",
                "TZ=Europe/Berlin").doesNotContain("****");
    }

    @Test
    void theList_showsEachFilesContainer_andTheDeploymentsRefusal() throws Exception {
        Files.writeString(descriptors.resolve("web.json"), "{\"image\": {\"name\": \"busybox\"}, \"enabled\": false}");
        Files.writeString(descriptors.resolve("bad.json"), "{\"image\": 3}");
        refusals.put("web.json", "not deployed: the image is not allowed");
        String session = session(login(PASSWORD));

        String list = get("/api/descriptors", session).body();

        assertThat(list).contains("\"file\":\"web.json\"", "\"container\":\"web\"", "\"enabled\":false",
                "the image is not allowed", "\"file\":\"bad.json\"", "\"problem\":\"image:");
    }

    private HttpResponse<String> login(String password) throws Exception {
        return post("/login", null, "password=" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8),
                Map.of());
    }

    private static String session(HttpResponse<String> login) {
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private String csrf(String session) throws Exception {
        String body = get("/api/session", session).body();
        return body.replaceAll(".*\"csrf\":\"([^\"]+)\".*", "$1");
    }

    private HttpResponse<String> get(String path, String session) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (session != null) {
            b.header("Cookie", session);
        }
        if (path.endsWith("/events") || path.endsWith("/logs")) {
            return http.send(b.build(), info -> HttpResponse.BodySubscribers.replacing(""));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String session, String form, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (session != null) {
            b.header("Cookie", session);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} as it is and returns the status line. */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] answer = socket.getInputStream().readNBytes(12);
            return new String(answer, StandardCharsets.US_ASCII);
        }
    }
}
