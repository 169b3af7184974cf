package io.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.MqttProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Group 2: how fresh the twin is. A container stopped with {@code docker stop} until the Ditto modify of its state
 * ({@code STOPPED}) arrives on MQTT, and a Ditto {@code start} command until its 204 reply and until the modify of
 * state {@code RUNNING}; each trial does both, so the container alternates. Times are taken from the engine's own
 * event time as well as from the bench's action, so that the engine's share and the agent's share can be told apart.
 */
final class Freshness {

    private final Rig rig;
    private final int trials;
    private final Map<String, Samples> figures = new LinkedHashMap<>();

    Freshness(Rig rig, boolean quick) {
        this.rig = rig;
        this.trials = quick ? 50 : 200;
    }

    private Samples figure(String name) {
        return figures.computeIfAbsent(name, k -> new Samples());
    }

    void run(Report report) {
        rig.removeAll();
        rig.startAgent("0s");
        MqttProbe probe = rig.probe();
        probe.clear();
        rig.engine().docker("run", "-d", "--name", "fresh", "--label", Rig.LABEL + "=" + rig.label(), Rig.IMAGE);
        String id = rig.engine().docker("inspect", "-f", "{{.Id}}", "fresh");
        probe.await(Duration.ofSeconds(30), state(id, "RUNNING"));
        try (EngineEvents events = new EngineEvents(rig.docker())) {
            for (int i = 0; i < trials; i++) {
                trial(i, id, events);
            }
        }
        rig.stopAgent();
        rig.removeAll();

        Report.Table t = report.table("Twin freshness over " + trials + " trials (ms)", "from → to", "p50", "p99",
                "max");
        row(t, "engine `die` event → STOPPED modify on MQTT", "stop: die → modify");
        row(t, "engine `die` event → an inspect sent at once is answered", "stop: die → inspect answered");
        row(t, "`docker stop` spawned → STOPPED modify on MQTT", "stop: cli → modify");
        row(t, "Ditto `start` published → 204 reply", "start: command → reply");
        row(t, "Ditto `start` published → RUNNING modify", "start: command → modify");
        row(t, "Ditto `start` published → engine `start` event", "start: command → engine event");
        row(t, "engine `start` event → RUNNING modify on MQTT", "start: event → modify");
        t.note("One container of the test image; the agent runs as packaged, settle time 0 s, twin and update agent "
                + "on. Event times are the engine's (`timeNano`), MQTT times are when the probe's client received the "
                + "message; all on one clock.");
        report.add(t);
    }

    private void row(Report.Table t, String label, String figure) {
        Samples s = figure(figure);
        t.row(label, Report.ms(s.median()), Report.ms(s.percentile(99)), Report.ms(s.max()));
    }

    private void trial(int i, String id, EngineEvents events) {
        MqttProbe probe = rig.probe();
        probe.clear();
        events.clear();
        Instant spawned = Instant.now();
        rig.engine().docker("stop", "fresh");
        MqttProbe.Received stopped = probe.await(Duration.ofSeconds(30), state(id, "STOPPED"));
        Instant died = events.await("die", id);
        figure("stop: die → modify").add(Convergence.millis(died, stopped.at()));
        figure("stop: cli → modify").add(Convergence.millis(spawned, stopped.at()));
        figure("stop: die → inspect answered").add(Convergence.millis(died, events.await("inspected", id)));

        probe.clear();
        events.clear();
        String request = "r" + i;
        String command = "{\"topic\":\"" + Rig.TOPIC_PREFIX + "/things/live/messages/start\","
                + "\"headers\":{\"correlation-id\":\"c" + i + "\",\"response-required\":true},"
                + "\"path\":\"/features/Container:" + id + "/inbox/messages/start\"}";
        Instant sent = Instant.now();
        probe.publish("command//" + Rig.THING + "/req/" + request + "/start", command);
        MqttProbe.Received reply = probe.await(Duration.ofSeconds(30),
                r -> r.topic().startsWith("command//" + Rig.THING + "/res/" + request + "/"));
        if (!reply.topic().endsWith("/204")) {
            throw new IllegalStateException("start was answered " + reply.topic() + ": " + reply.payload());
        }
        MqttProbe.Received running = probe.await(Duration.ofSeconds(30), state(id, "RUNNING"));
        Instant started = events.await("start", id);
        figure("start: command → reply").add(Convergence.millis(sent, reply.at()));
        figure("start: command → modify").add(Convergence.millis(sent, running.at()));
        figure("start: command → engine event").add(Convergence.millis(sent, started));
        figure("start: event → modify").add(Convergence.millis(started, running.at()));
    }

    /** A modify of the container's state property with {@code status}. */
    static Predicate<MqttProbe.Received> state(String id, String status) {
        String path = "/features/Container:" + id + "/properties/status/state";
        return r -> {
            if (!r.topic().equals(Rig.EVENTS) || !r.payload().contains(path)) {
                return false;
            }
            JsonNode message = Rig.read(r.payload());
            return message.path("path").asText().equals(path) && message.path("topic").asText().endsWith("/modify")
                    && message.path("value").path("status").asText().equals(status);
        };
    }
}
