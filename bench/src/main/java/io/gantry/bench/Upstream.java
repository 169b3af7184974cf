package io.gantry.bench;

import io.gantry.app.testing.MqttProbe;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.Processes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Group 5: what one gateway costs the fleet's back end (docs/fleet.md): the messages and bytes a cloud connector
 * forwards upstream, which are the agent's publications on the twin's events topic and on command reply topics. They
 * are read from the broker's own log ({@code Received PUBLISH from gantry-bench … (N bytes)}), so a reconnect that
 * the probe's client might miss is counted too. Four figures: the first publication of a gateway with
 * {@value #CONTAINERS} running containers, one container state change, the resync after the agent's broker
 * connection came back, and an hour of metrics requested every 10 s.
 */
final class Upstream {

    static final int CONTAINERS = 20;
    private static final String AGENT = "gantry-bench";
    private static final Pattern PUBLISH = Pattern.compile(
            "Received PUBLISH from (\\S+) \\(d\\d, q\\d, r\\d, m\\d+, '(.*)', \\.\\.\\. \\((\\d+) bytes\\)\\)");
    private static final Duration QUIET = Duration.ofSeconds(2);

    private final Rig rig;
    private final int changes;
    private final Duration metricsWindow;

    Upstream(Rig rig, boolean quick) {
        this.rig = rig;
        this.changes = quick ? 4 : 10;
        this.metricsWindow = Duration.ofSeconds(quick ? 31 : 61);
    }

    /** Upstream messages and their bytes: payload, and payload plus topic (what a connector sends on). */
    record Traffic(int messages, long payloadBytes, long topicBytes) {
        Traffic plus(Traffic other) {
            return new Traffic(messages + other.messages, payloadBytes + other.payloadBytes,
                    topicBytes + other.topicBytes);
        }

        long bytes() {
            return payloadBytes + topicBytes;
        }
    }

    void run(Report report) {
        rig.removeAll();
        for (int i = 0; i < CONTAINERS; i++) {
            rig.engine().docker("run", "-d", "--name", "up-" + i, "--label", Rig.LABEL + "=" + rig.label(),
                    Rig.IMAGE);
        }
        Mosquitto broker = rig.broker();
        int mark = lines(broker);
        rig.startAgent("0s");
        Traffic first = awaitQuiet(broker, mark);
        MqttProbe probe = rig.probe();
        long firstValues = valueBytes(probe);

        Traffic change = new Traffic(0, 0, 0);
        long changeValues = 0;
        for (int i = 0; i < changes; i++) {
            String name = "up-" + (i % CONTAINERS);
            String id = rig.engine().docker("inspect", "-f", "{{.Id}}", name);
            mark = lines(broker);
            probe.clear();
            rig.engine().docker(i % 2 == 0 ? "stop" : "pause", name);
            probe.await(Duration.ofSeconds(30), Freshness.state(id, i % 2 == 0 ? "STOPPED" : "PAUSED"));
            change = change.plus(awaitQuiet(broker, mark));
            changeValues += valueBytes(probe);
            mark = lines(broker);
            probe.clear();
            rig.engine().docker(i % 2 == 0 ? "start" : "unpause", name);
            probe.await(Duration.ofSeconds(30), Freshness.state(id, "RUNNING"));
            change = change.plus(awaitQuiet(broker, mark));
            changeValues += valueBytes(probe);
        }

        // The broker goes away and comes back: the agent reconnects and publishes the twin again.
        broker.kill();
        broker.start();
        Traffic resync = awaitQuiet(broker, 0);

        // mosquitto_pub, not the probe: the probe's client may still be reconnecting.
        mark = lines(broker);
        Processes.run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-q", "1",
                "-t", "command//" + Rig.THING + "/req/metrics/request", "-m", "{\"topic\":\"" + Rig.TOPIC_PREFIX
                + "/things/live/messages/request\",\"headers\":{\"correlation-id\":\"m\",\"response-required\":true,"
                + "\"content-type\":\"application/json\"},\"path\":\"/features/Metrics/inbox/messages/request\","
                + "\"value\":{\"frequency\":\"10s\"}}");
        sleep(metricsWindow);
        Traffic metrics = since(broker, mark, true);
        rig.stopAgent();
        rig.removeAll();

        int perChange = changes * 2;
        Report.Table t = report.table("Upstream cost of one gateway (" + CONTAINERS + " running containers)",
                "what", "messages", "payload bytes", "bytes with topics", "payload / values alone");
        t.row("first publication (agent start, static device)", Integer.toString(first.messages()),
                Long.toString(first.payloadBytes()), Long.toString(first.bytes()),
                Report.ratio(mean(first.payloadBytes(), (int) firstValues)));
        t.row("per container state change (mean of " + perChange + ")",
                Report.number("%.1f", mean(change.messages(), perChange)),
                Report.number("%.0f", mean(change.payloadBytes(), perChange)),
                Report.number("%.0f", mean(change.bytes(), perChange)),
                Report.ratio(mean(change.payloadBytes(), (int) changeValues)));
        t.row("resync after the broker connection came back", Integer.toString(resync.messages()),
                Long.toString(resync.payloadBytes()), Long.toString(resync.bytes()), "");
        double perData = metrics.messages() == 0 ? 0 : (double) metrics.bytes() / metrics.messages();
        t.row("metrics at 10 s: one data message", "1", Report.number("%.0f",
                metrics.messages() == 0 ? 0 : (double) metrics.payloadBytes() / metrics.messages()),
                Report.number("%.0f", perData), "");
        t.row("metrics at 10 s: per hour (360 data messages)", "360",
                Report.number("%.0f", 360 * (metrics.messages() == 0 ? 0
                        : (double) metrics.payloadBytes() / metrics.messages())),
                Report.number("%.0f", 360 * perData), "");
        t.note("Counted from Mosquitto's log: every PUBLISH of the agent on `e/…` and `command//…/res/…`, which is "
                + "what a cloud connector forwards. A state change is a `docker stop`/`start` or `pause`/`unpause` "
                + "of one container, counted until 2 s pass without a message. Metrics: " + metrics.messages()
                + " data messages in " + metricsWindow.toSeconds() + " s, every container in each. An MQTT "
                + "PUBLISH adds 2–5 bytes of header and a 2-byte topic length to the bytes with topics. The floor, "
                + "\"values alone\", is the compact JSON of each message's `value` as the probe received it: what "
                + "the twin says, without the Ditto envelope (topic, headers, path).");
        report.add(t);
    }

    private static double mean(long total, int count) {
        return count == 0 ? 0 : (double) total / count;
    }

    /** Waits until the agent has published nothing upstream for {@link #QUIET}, then counts since line {@code mark}. */
    private static Traffic awaitQuiet(Mosquitto broker, int mark) {
        Instant deadline = Instant.now().plusSeconds(120);
        Traffic seen = since(broker, mark, false);
        Instant lastChange = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            sleep(Duration.ofMillis(200));
            Traffic now = since(broker, mark, false);
            if (now.messages() != seen.messages()) {
                seen = now;
                lastChange = Instant.now();
            } else if (seen.messages() > 0 && Duration.between(lastChange, Instant.now()).compareTo(QUIET) >= 0) {
                return seen;
            }
        }
        throw new IllegalStateException("the agent did not settle within 120 s");
    }

    /**
     * The agent's upstream publications after line {@code mark} of the broker's log; {@code eventsOnly}: on the
     * twin's events topic only (no command replies).
     */
    private static Traffic since(Mosquitto broker, int mark, boolean eventsOnly) {
        List<String> log = broker.log().lines().toList();
        int messages = 0;
        long payload = 0;
        long topics = 0;
        for (String line : log.subList(Math.min(mark, log.size()), log.size())) {
            Matcher m = PUBLISH.matcher(line.replaceFirst("^\\d+: ", ""));
            if (!m.matches() || !m.group(1).equals(AGENT)) {
                continue;
            }
            String topic = m.group(2);
            boolean upstream = topic.startsWith("e/") || (topic.startsWith("command//") && topic.contains("/res/"));
            if (upstream && (!eventsOnly || topic.equals(Rig.EVENTS))) {
                messages++;
                payload += Long.parseLong(m.group(3));
                topics += topic.length();
            }
        }
        return new Traffic(messages, payload, topics);
    }

    /** The compact JSON bytes of the {@code value} of every twin message the probe received since its last clear. */
    private static long valueBytes(MqttProbe probe) {
        return probe.received(MqttProbe.on(Rig.EVENTS)).stream()
                .mapToLong(r -> Rig.read(r.payload()).path("value").toString().getBytes(StandardCharsets.UTF_8).length)
                .sum();
    }

    private static int lines(Mosquitto broker) {
        return (int) broker.log().lines().count();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
