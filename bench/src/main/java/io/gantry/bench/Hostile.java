package io.gantry.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Group 4: what hostile traffic leaves behind. The agent's resident memory idle after start (the floor, in the same
 * run), then 10,000 mixed bad payloads over every topic it subscribes to (not JSON, invalid UTF-8, truncated, wrong
 * types, deep nesting, long strings, control characters, oversized, Ditto commands it must refuse, device ids that
 * make no topic), then its resident memory after 30 s idle, against the floor.
 */
final class Hostile {

    static final int PAYLOADS = 10_000;
    private static final String COMMANDS = "command//" + Rig.THING + "/req/";

    private final Rig rig;
    private final boolean quick;

    Hostile(Rig rig, boolean quick) {
        this.rig = rig;
        this.quick = quick;
    }

    /** One kind of bad message: a topic and a payload, made from the message's number. */
    private record Kind(String name, IntFunction<String> topic, IntFunction<byte[]> payload) {
    }

    void run(Report report) {
        rig.removeAll();
        PackagedAgent.Running agent = rig.startAgent("0s");
        Footprint.pause(quick ? 5 : 10);
        Samples floor = rss(agent, quick ? 5 : 10);
        long threadsBefore = agent.status("Threads");

        List<Kind> kinds = kinds();
        long begin = System.nanoTime();
        int last = -1;
        for (int i = 0; i < PAYLOADS; i++) {
            Kind kind = kinds.get(i % kinds.size());
            rig.probe().publish(kind.topic().apply(i), kind.payload().apply(i), false);
            if (kind.name().equals("Ditto command with a bad value")) {
                last = i;
            }
        }
        double sendSeconds = (System.nanoTime() - begin) / 1e9;
        // the last command that expects an answer has one: every message before it was handled
        String lastReply = COMMANDS.replace("/req/", "/res/") + "bad-" + last + "/";
        rig.probe().await(Duration.ofSeconds(120), r -> r.topic().startsWith(lastReply));
        double handledSeconds = (System.nanoTime() - begin) / 1e9;
        long answered = rig.probe().received(r -> r.topic().startsWith(COMMANDS.replace("/req/", "/res/") + "bad-"))
                .size();
        long expected = java.util.stream.IntStream.range(0, PAYLOADS)
                .filter(i -> kinds.get(i % kinds.size()).name().equals("Ditto command with a bad value")).count();
        long peakDuring = agent.status("VmHWM");
        Footprint.pause(30);
        Samples after = rss(agent, quick ? 5 : 10);
        boolean alive = agent.status("VmRSS") > 0;

        Report.Table t = report.table("Hostile traffic: resident memory after " + PAYLOADS
                + " mixed bad payloads", "figure", "value");
        t.row("RSS idle after start (floor, median)", Report.number("%.1f MiB", floor.median()));
        t.row("RSS 30 s after the payloads (median)", Report.number("%.1f MiB", after.median()) + " ("
                + Report.number("%.2f", after.median() / floor.median()) + " × the floor)");
        t.row("RSS 30 s after the payloads (max)", Report.number("%.1f MiB", after.max()));
        t.row("VmHWM (peak resident) after the payloads", Report.number("%.1f MiB", peakDuring / 1024.0));
        t.row("threads before → after", threadsBefore + " → " + agent.status("Threads"));
        t.row("payloads sent / all handled", Report.number("%.1f s", sendSeconds) + " / "
                + Report.number("%.1f s", handledSeconds));
        t.row("Ditto commands answered", answered + " of " + expected);
        t.row("agent still running", alive ? "yes" : "NO");
        t.note("Kinds, in turn: " + String.join("; ", kinds.stream().map(Kind::name).toList()) + ". RSS is VmRSS "
                + "from /proc, sampled each second; the floor is measured in the same run, before the payloads.");
        report.add(t);
        rig.stopAgent();
    }

    private static List<Kind> kinds() {
        Random random = new Random(12);
        List<Kind> kinds = new ArrayList<>();
        String desired = "containersupdate/desiredstate";
        kinds.add(new Kind("random bytes (invalid UTF-8)", i -> desired, i -> {
            byte[] b = new byte[512 + random.nextInt(1024)];
            random.nextBytes(b);
            return b;
        }));
        kinds.add(new Kind("truncated desired state", i -> desired, i -> bytes(("{\"activityId\":\"t" + i
                + "\",\"payload\":{\"domains\":[{\"id\":\"containers\",\"components\":[{\"id\":\"x\"").substring(0,
                20 + i % 40))));
        kinds.add(new Kind("wrong types", i -> desired, i -> bytes("{\"activityId\":" + i
                + ",\"payload\":{\"domains\":\"containers\"}}")));
        kinds.add(new Kind("deep nesting", i -> "containersupdate/currentstate/get",
                i -> bytes("[".repeat(20_000) + "]".repeat(20_000))));
        kinds.add(new Kind("invalid component with a 100 KB string", i -> desired, i -> bytes("{\"activityId\":\"l"
                + i + "\",\"payload\":{\"domains\":[{\"id\":\"containers\",\"components\":[{\"id\":\"\","
                + "\"version\":\"1\",\"config\":[{\"key\":\"env\",\"value\":\"A=" + "x".repeat(100_000)
                + "\"}]}]}]}}")));
        kinds.add(new Kind("control characters and bidi marks", i -> "containersupdate/desiredstate/command",
                i -> bytes("{\"activityId\":\"\\u0000\\u202e" + i + "\",\"payload\":{\"command\":\"\\u0007\"}}")));
        kinds.add(new Kind("oversized (300 KB)", i -> desired, i -> new byte[300 << 10]));
        kinds.add(new Kind("Ditto command with a bad value", i -> COMMANDS + "bad-" + i + "/create",
                i -> bytes("{\"topic\":\"" + Rig.TOPIC_PREFIX + "/things/live/messages/create\",\"headers\":"
                        + "{\"correlation-id\":\"bad-" + i + "\",\"response-required\":true},\"path\":"
                        + "\"/features/ContainerFactory/inbox/messages/create\",\"value\":{\"imageRef\":"
                        + "\"\\u0000" + "y".repeat(i % 2000) + "\"}}")));
        kinds.add(new Kind("Ditto envelope that is not one", i -> COMMANDS + "env-" + i + "/x",
                i -> bytes("{\"topic\":[],\"headers\":\"\",\"path\":7}")));
        kinds.add(new Kind("device id that makes no topic", i -> "edge/thing/response",
                i -> bytes("{\"deviceId\":\"" + "d".repeat(70_000) + "\",\"tenantId\":\"t+#\"}")));
        return kinds;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Samples rss(PackagedAgent.Running agent, int seconds) {
        Samples rss = new Samples();
        for (int s = 0; s < seconds; s++) {
            Footprint.pause(1);
            rss.add(agent.status("VmRSS") / 1024.0);
        }
        return rss;
    }
}
