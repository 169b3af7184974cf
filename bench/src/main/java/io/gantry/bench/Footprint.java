package io.gantry.bench;

import com.github.dockerjava.api.DockerClient;
import io.gantry.app.testing.MqttProbe;
import io.gantry.app.testing.Processes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Group 3: what the agent costs. The time from spawning the package's launcher to the first twin message on MQTT,
 * cold (no class-data archive: the launcher's first run, which writes one at exit) and warm (the archive mapped); and
 * the resident memory and CPU of the idle agent with 0 and 50 containers, without metrics and with a Ditto metrics
 * request at 1 s, with the Prometheus endpoint scraped five times a second, and with the dashboard open.
 */
final class Footprint {

    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+[+-]\\d\\d:\\d\\d|"
            + "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z) ");

    private final Rig rig;
    private final boolean quick;
    private final Map<String, Samples> figures = new LinkedHashMap<>();
    private final List<String[]> idleRows = new ArrayList<>();
    private String commandLine = "";
    private String metricsProblem = "";
    private String dashboardNote = "";
    private double metricsOff = Double.NaN;

    Footprint(Rig rig, boolean quick) {
        this.rig = rig;
        this.quick = quick;
    }

    private Samples figure(String name) {
        return figures.computeIfAbsent(name, k -> new Samples());
    }

    void run(Report report) {
        rig.removeAll();
        int repetitions = quick ? 2 : 5;
        for (int r = 0; r < repetitions; r++) {
            rig.agent().deleteArchive();
            startup("cold");
            rig.stopAgent();
            startup("warm");
            rig.stopAgent();
        }
        startup("warm");
        idle("0 containers");
        createContainers(50);
        idle("50 containers (created while the agent ran)");
        rig.stopAgent();
        for (int r = 0; r < (quick ? 1 : 3); r++) {
            startup("warm, 50 containers");
            rig.stopAgent();
        }
        startup("warm, 50 containers");
        idle("50 containers (present at start)");
        prometheus("50 containers (present at start)");
        dashboard("50 containers (present at start)");
        rig.stopAgent();
        rig.removeAll();
        report.add(startupTable(report));
        report.add(idleTable(report));
    }

    private void startup(String kind) {
        PackagedAgent.Running agent = rig.startAgent("0s");
        commandLine = agent.commandLine();
        MqttProbe.Received first = rig.probe().received(r -> r.topic().equals(Rig.EVENTS)).get(0);
        figure(kind + ": spawn → first twin publish").add(Convergence.millis(agent.spawned(), first.at()));
        logTime(agent, "Gantry .* starting").ifPresent(t -> figure(kind + ": spawn → first log line")
                .add(Convergence.millis(agent.spawned(), t)));
        logTime(agent, "Gantry started").ifPresent(t -> figure(kind + ": spawn → components started")
                .add(Convergence.millis(agent.spawned(), t)));
        boolean mapped = agent.maps(rig.agent().archive());
        figure(kind + ": archive mapped").add(mapped ? 1 : 0);
        if (kind.equals("cold") && mapped) {
            throw new IllegalStateException("a cold start mapped a class-data archive");
        }
    }

    private java.util.Optional<Instant> logTime(PackagedAgent.Running agent, String message) {
        Pattern p = Pattern.compile(message);
        for (String line : agent.log().lines().toList()) {
            Matcher m = LOG_TIME.matcher(line);
            if (m.find() && p.matcher(line).find()) {
                return java.util.Optional.of(OffsetDateTime.parse(m.group(1)).toInstant());
            }
        }
        return java.util.Optional.empty();
    }

    private void idle(String what) {
        PackagedAgent.Running agent = rig.running();
        pause(quick ? 3 : 10);
        window(agent, what + ", metrics off", false);
        if (requestMetrics("1s")) {
            pause(3);
            window(agent, what + ", metrics at 1 s", true);
            requestMetrics("0s");
        }
    }

    /**
     * The agent again with the Prometheus endpoint on, scraped five times a second during the window: its cost
     * against the "metrics off" row of the same containers.
     */
    private void prometheus(String what) {
        int port = Processes.freePort();
        PackagedAgent.Running agent = rig.startAgent("0s", "127.0.0.1:" + port);
        pause(quick ? 3 : 10);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest scrape = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        AtomicInteger scrapes = new AtomicInteger();
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor();
        scraper.scheduleAtFixedRate(() -> {
            try {
                if (http.send(scrape, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    scrapes.incrementAndGet();
                }
            } catch (Exception e) {
                // counted as a missed scrape
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        try {
            pause(2);
            window(agent, what + ", Prometheus endpoint scraped 5 times a second", false);
        } finally {
            scraper.shutdownNow();
        }
        if (scrapes.get() == 0) {
            throw new IllegalStateException("the Prometheus endpoint answered no scrape");
        }
    }

    /**
     * The agent again with the dashboard on: first with no page open, then with a page open as a browser keeps it
     * (the event stream of the list, and one container's log followed) during the window. Its cost against the
     * "metrics off" row of the same containers, in the same run, is noted under the table.
     */
    private void dashboard(String what) {
        int port = Processes.freePort();
        String password = "bench-" + java.util.UUID.randomUUID();
        String hash = io.gantry.app.dashboard.PasswordHash.of(password.toCharArray()).format();
        PackagedAgent.Running agent = rig.startAgent("0s", "", "30s", "{\"enable\": true, \"listen\": \"127.0.0.1:" + port
                + "\", \"password_hash\": \"" + hash + "\"}");
        pause(quick ? 3 : 10);
        double closed = window(agent, what + ", dashboard on, no page open", false);
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        AtomicInteger frames = new AtomicInteger();
        AtomicInteger logLines = new AtomicInteger();
        try {
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("password=" + password)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie")
                    .orElseThrow(() -> new IllegalStateException("the dashboard refused the login: "
                            + login.statusCode())).split(";")[0];
            java.util.concurrent.CompletableFuture<String> firstId = new java.util.concurrent.CompletableFuture<>();
            follow(http, base + "/api/events", cookie, line -> {
                if (line.startsWith("data: [")) {
                    Matcher m = Pattern.compile("\"id\":\"([0-9a-f]{64})\"").matcher(line);
                    if (m.find()) {
                        firstId.complete(m.group(1));
                    }
                }
                if (line.startsWith("data:")) {
                    frames.incrementAndGet();
                }
            });
            String id = firstId.get(30, TimeUnit.SECONDS);
            follow(http, base + "/api/containers/" + id + "/logs", cookie, line -> {
                if (line.startsWith("data:")) {
                    logLines.incrementAndGet();
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot open the dashboard: " + e, e);
        }
        pause(2);
        double open = window(agent, what + ", dashboard open (event stream and one log followed)", false);
        if (frames.get() == 0) {
            throw new IllegalStateException("the dashboard pushed no event");
        }
        dashboardNote = "Dashboard (" + what + ", same run): no page open " + Report.number("%.1f MiB", closed)
                + ", a page open and streaming " + Report.number("%.1f MiB", open) + " (" + frames.get()
                + " events, " + logLines.get() + " log lines received), against metrics off "
                + Report.number("%.1f MiB", metricsOff) + ": open / off = " + Report.ratio(open / metricsOff)
                + ", " + Report.number("%+.1f MiB", open - metricsOff) + ".";
    }

    /** Reads a text/event-stream on a daemon thread until the agent stops. */
    private static void follow(HttpClient http, String url, String cookie, java.util.function.Consumer<String> lines) {
        Thread reader = new Thread(() -> {
            try {
                http.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
                        HttpResponse.BodyHandlers.ofLines()).body().forEach(lines);
            } catch (Exception e) {
                // the agent stopped
            }
        }, "bench-dashboard-stream");
        reader.setDaemon(true);
        reader.start();
    }

    private double window(PackagedAgent.Running agent, String what, boolean metrics) {
        int seconds = quick ? 8 : 20;
        MqttProbe probe = rig.probe();
        probe.clear();
        Samples rss = new Samples();
        double cpuBefore = agent.cpuMillis();
        long begin = System.nanoTime();
        for (int s = 0; s < seconds; s++) {
            pause(1);
            rss.add(agent.status("VmRSS") / 1024.0);
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        double cpu = (agent.cpuMillis() - cpuBefore) / elapsed;
        int data = probe.received(r -> r.topic().equals(Rig.EVENTS) && r.payload().contains("/messages/data")).size();
        idleRows.add(new String[] {what, Report.number("%.1f MiB", rss.median()), Report.number("%.1f MiB", rss.max()),
                Report.number("%.1f MiB", agent.status("VmHWM") / 1024.0),
                Report.number("%.1f ms/s", cpu) + " (" + Report.number("%.1f", cpu / 10) + " % of a core)",
                String.valueOf(agent.status("Threads")),
                metrics ? Report.number("%.1f", data / elapsed) : "–", Machine.loadAverage()});
        if (what.equals("50 containers (present at start), metrics off")) {
            metricsOff = rss.median();
        }
        return rss.median();
    }

    /** A Ditto request to the Metrics feature; false (with the reason kept) when the agent does not take it. */
    private boolean requestMetrics(String frequency) {
        MqttProbe probe = rig.probe();
        String request = "m" + System.nanoTime();
        probe.publish("command//" + Rig.THING + "/req/" + request + "/request",
                "{\"topic\":\"" + Rig.TOPIC_PREFIX + "/things/live/messages/request\","
                        + "\"headers\":{\"correlation-id\":\"" + request + "\",\"response-required\":true,"
                        + "\"content-type\":\"application/json\"},"
                        + "\"path\":\"/features/Metrics/inbox/messages/request\","
                        + "\"value\":{\"frequency\":\"" + frequency + "\"}}");
        MqttProbe.Received reply = probe.await(Duration.ofSeconds(30),
                r -> r.topic().startsWith("command//" + Rig.THING + "/res/" + request + "/"));
        if (reply.topic().endsWith("/204") || reply.topic().endsWith("/200")) {
            return true;
        }
        metricsProblem = "the metrics request was answered " + reply.topic().substring(reply.topic().lastIndexOf('/')
                + 1) + " " + reply.payload() + ", so the rows with metrics are missing";
        return false;
    }

    private void createContainers(int n) {
        DockerClient docker = rig.docker();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        rig.probe().clear();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "idle-" + i;
                all.add(pool.submit(() -> docker.startContainerCmd(docker.createContainerCmd(Rig.IMAGE).withName(name)
                        .withLabels(rig.labels()).exec().getId()).exec()));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the idle containers: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> rig.probe().received(r ->
                r.topic().equals(Rig.EVENTS) && r.payload().contains("\"status\":\"RUNNING\"")).size() >= n);
    }

    private Report.Table startupTable(Report report) {
        Report.Table t = report.table("Start: launcher spawned → first twin message on MQTT (median ms)",
                "start", "first log line", "components started", "first twin publish", "archive mapped");
        for (String kind : List.of("cold", "warm", "warm, 50 containers")) {
            Samples publish = figure(kind + ": spawn → first twin publish");
            t.row(kind + " (" + publish.count() + "×)", Report.ms(figure(kind + ": spawn → first log line").median()),
                    Report.ms(figure(kind + ": spawn → components started").median()),
                    Report.ms(publish.median()) + " (max " + Report.ms(publish.max()) + ")",
                    Report.number("%.0f", figure(kind + ": archive mapped").values().stream()
                            .mapToDouble(Double::doubleValue).sum()) + " of " + publish.count());
        }
        t.note("The JVM as the package's launcher runs it: `" + commandLine.replaceAll("-cp \\S+", "-cp …")
                .replaceAll("/\\S*/(gantry\\.jsa)", "…/$1") + "`.");
        t.note("cold: no archive (the launcher's first run; it adds -XX:ArchiveClassesAtExit and writes the archive "
                + "when stopped); warm: every later run (-XX:SharedArchiveFile). The broker and the engine answer "
                + "from the start; the device id is static, so the twin is published as soon as MQTT is up.");
        return t;
    }

    private Report.Table idleTable(Report report) {
        Report.Table t = report.table("Idle agent: resident memory and CPU", "state", "RSS median", "RSS max",
                "VmHWM (peak)", "CPU", "threads", "metrics messages/s", "load average");
        idleRows.forEach(t::row);
        t.note("Warm starts (archive mapped). RSS is VmRSS from /proc, sampled each second over a "
                + (quick ? 8 : 20) + " s window after a quiet period; CPU is user + system time of every thread "
                + "over the window.");
        if (!metricsProblem.isEmpty()) {
            t.note(metricsProblem);
        }
        if (!dashboardNote.isEmpty()) {
            t.note(dashboardNote);
        }
        return t;
    }

    static void pause(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
