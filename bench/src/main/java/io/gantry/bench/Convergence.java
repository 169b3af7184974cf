package io.gantry.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import io.gantry.app.testing.MqttProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Group 1: how long a desired state takes from its publication to {@code COMPLETED}, against the floor of the same
 * containers made without Gantry: the {@code docker} CLI in a loop ({@code docker run -d} each), docker-java in a
 * loop (create, then start, each), and docker-java four at a time (what the engine can do on this machine at best).
 * Floors run while the agent is stopped, so that its twin does not inspect their containers; the blocks alternate
 * within each repetition so that a change of load on the machine touches all columns alike.
 */
final class Convergence {

    static final String DESIRED = "containersupdate/desiredstate";
    static final String FEEDBACK = "containersupdate/desiredstatefeedback";
    private static final List<String> PHASE_ENDS = List.of("IDENTIFYING", "IDENTIFIED", "DOWNLOAD_SUCCESS", "UPDATE_SUCCESS",
            "ACTIVATION_SUCCESS", "CLEANUP_SUCCESS", "COMPLETED");

    private final Rig rig;
    private final boolean quick;
    private final Map<String, Samples> figures = new LinkedHashMap<>();
    private final Map<String, Samples> phases = new LinkedHashMap<>();

    Convergence(Rig rig, boolean quick) {
        this.rig = rig;
        this.quick = quick;
    }

    private Samples figure(String name) {
        return figures.computeIfAbsent(name, k -> new Samples());
    }

    void run(Report report) {
        int[] sizes = {1, 10, 50};
        int repetitions = quick ? 2 : 5;
        for (int r = 0; r < repetitions; r++) {
            rig.stopAgent();
            for (int n : sizes) {
                if (n == 50 && r >= (quick ? 1 : 3)) {
                    continue;
                }
                figure("cli " + n).add(floorCli(n));
                figure("java " + n).add(floorJava(n));
                figure("java4 " + n).add(floorJavaConcurrent(n, 4));
            }
            figure("recreate java 10").add(floorJavaRecreate(10));
            rig.startAgent("0s");
            // The first desired state after a start also loads and compiles the update agent's code; it is reported
            // on its own, and the figures below are those of an agent that has done this once.
            figure("first 1").add(gantry("first", 1, Rig.IMAGE, null));
            removeViaCli(1);
            for (int n : sizes) {
                if (n == 50 && r >= (quick ? 1 : 3)) {
                    continue;
                }
                figure("gantry " + n).add(gantry("conv", n, Rig.IMAGE, "gantry " + n));
                removeViaCli(n);
            }
            // The image change of 10 containers and the check of 10 and 50 unchanged ones.
            gantry("rec", 10, Rig.IMAGE, null);
            figure("recreate 10").add(gantry("rec", 10, Rig.IMAGE_2, "recreate 10"));
            figure("unchanged 10").add(gantry("rec", 10, Rig.IMAGE_2, "unchanged 10"));
            removeViaCli(10);
            if (r < (quick ? 1 : 3)) {
                gantry("same", 50, Rig.IMAGE, null);
                figure("unchanged 50").add(gantry("same", 50, Rig.IMAGE, "unchanged 50"));
                removeViaCli(50);
            }
        }
        // The cost of safety: the default settle time, 3 s, once per repetition at N = 10.
        rig.startAgent("3s");
        gantry("first", 1, Rig.IMAGE, null);
        removeViaCli(1);
        for (int r = 0; r < (quick ? 1 : 3); r++) {
            figure("settle 10").add(gantry("settle", 10, Rig.IMAGE, null));
            removeViaCli(10);
        }
        rig.stopAgent();
        report.add(table(report));
    }

    private Report.Table table(Report report) {
        Report.Table t = report.table("Convergence: desired state published → COMPLETED (median ms)",
                "case", "Gantry", "docker CLI loop", "docker-java loop", "docker-java, 4 at a time",
                "Gantry / docker-java loop");
        for (int n : new int[] {1, 10, 50}) {
            double g = figure("gantry " + n).median();
            double java = figure("java " + n).median();
            t.row("N = " + n + " new containers" + reps("gantry " + n), Report.ms(g),
                    Report.ms(figure("cli " + n).median()), Report.ms(java),
                    Report.ms(figure("java4 " + n).median()), Report.ratio(g / java));
        }
        double rec = figure("recreate 10").median();
        double recJava = figure("recreate java 10").median();
        t.row("N = 10, image changed (recreate)" + reps("recreate 10"), Report.ms(rec), "–", Report.ms(recJava),
                "–", Report.ratio(rec / recJava));
        t.row("N = 10, unchanged (check only)" + reps("unchanged 10"), Report.ms(figure("unchanged 10").median()),
                "–", "–", "–", "–");
        t.row("N = 50, unchanged (check only)" + reps("unchanged 50"), Report.ms(figure("unchanged 50").median()),
                "–", "–", "–", "–");
        t.row("N = 1, the first desired state after the agent started" + reps("first 1"),
                Report.ms(figure("first 1").median()), Report.ms(figure("cli 1").median()),
                Report.ms(figure("java 1").median()), Report.ms(figure("java4 1").median()),
                Report.ratio(figure("first 1").median() / figure("java 1").median()));
        t.row("N = 10 new, default settle_time 3 s" + reps("settle 10"), Report.ms(figure("settle 10").median()),
                "–", Report.ms(figure("java 10").median()), "–",
                Report.ratio(figure("settle 10").median() / figure("java 10").median()));
        t.note("update_agent.settle_time = 0 s except in the last row: with the default of 3 s every new container "
                + "must stay up 3 s before the operation completes, which would hide everything else.");
        t.note("docker CLI loop: `docker run -d` per container; docker-java loop: create then start per container; "
                + "floors use the same log settings and restart policy (unless-stopped) as Gantry's containers and run while the agent is stopped.");
        t.note("Recreate floor: docker-java doing Gantry's safe replacement per container (create under a temporary "
                + "name, stop the old one, rename it aside, rename the new one, start it, remove the old one).");
        StringBuilder split = new StringBuilder("Gantry's phases, median ms from the previous feedback:");
        phases.forEach((k, v) -> split.append(" ").append(k).append(" ").append(Report.ms(v.median())).append(";"));
        t.note(split.toString());
        return t;
    }

    private String reps(String figure) {
        return " (" + figure(figure).count() + "×)";
    }

    // ---- Gantry ---------------------------------------------------------------------------------------------------

    /**
     * Publishes a desired state of {@code n} containers {@code prefix-i} of {@code image} and returns the time until
     * its COMPLETED feedback arrived; {@code phaseKey} (null: not recorded) collects the time between phase feedbacks.
     */
    double gantry(String prefix, int n, String image, String phaseKey) {
        return gantry(desiredState(prefix, n, image), prefix + " × " + n, phaseKey);
    }

    /** Publishes the desired state {@code payload} and returns the time until its COMPLETED feedback arrived. */
    double gantry(String payload, String what, String phaseKey) {
        MqttProbe probe = rig.probe();
        probe.clear();
        String activity = "bench-" + UUID.randomUUID();
        String message = envelope(activity, payload);
        Instant sent = Instant.now();
        probe.publish(DESIRED, message);
        MqttProbe.Received end = probe.await(Duration.ofMinutes(5), r -> r.topic().equals(FEEDBACK)
                && r.payload().contains(activity) && (status(r).equals("COMPLETED") || status(r).equals("INCOMPLETE")));
        if (!status(end).equals("COMPLETED")) {
            throw new IllegalStateException("desired state " + what + " ended " + end.payload());
        }
        if (phaseKey != null) {
            Instant previous = sent;
            for (MqttProbe.Received r : probe.received(r -> r.topic().equals(FEEDBACK) && r.payload().contains(activity))) {
                String s = status(r);
                if (PHASE_ENDS.contains(s)) {
                    phases.computeIfAbsent(phaseKey + " " + s, k -> new Samples()).add(millis(previous, r.at()));
                    previous = r.at();
                }
            }
        }
        return millis(sent, end.at());
    }

    void removeViaCli(int n) {
        rig.probe().clear();
        rig.removeAll();
        rig.awaitTwinDeletes(n);
    }

    static String status(MqttProbe.Received r) {
        return Rig.read(r.payload()).path("payload").path("status").asText();
    }

    static String desiredState(String prefix, int n, String image) {
        return desiredState(prefix, n, image, List.of());
    }

    /** {@code n} containers {@code prefix-i} of {@code image}, with the command {@code cmd} unless empty. */
    static String desiredState(String prefix, int n, String image, List<String> cmd) {
        ObjectNode payload = Rig.JSON.createObjectNode();
        ObjectNode domain = payload.putArray("domains").addObject().put("id", "containers");
        domain.putArray("config");
        ArrayNode components = domain.putArray("components");
        for (int i = 0; i < n; i++) {
            ObjectNode c = components.addObject().put("id", prefix + "-" + i).put("version", "1");
            ArrayNode config = c.putArray("config");
            config.addObject().put("key", "image").put("value", image);
            cmd.forEach(arg -> config.addObject().put("key", "cmd").put("value", arg));
        }
        return payload.toString();
    }

    static String envelope(String activityId, String payload) {
        ObjectNode envelope = Rig.JSON.createObjectNode().put("activityId", activityId)
                .put("timestamp", System.currentTimeMillis());
        envelope.set("payload", Rig.read(payload));
        return envelope.toString();
    }

    // ---- floors --------------------------------------------------------------------------------------------------

    private double floorCli(int n) {
        long begin = System.nanoTime();
        for (int i = 0; i < n; i++) {
            rig.engine().docker("run", "-d", "--name", "cli-" + i, "--label", Rig.LABEL + "=" + rig.label(),
                    "--restart", "unless-stopped", "--log-opt", "max-size=100m", "--log-opt", "max-file=2", Rig.IMAGE);
        }
        double took = (System.nanoTime() - begin) / 1e6;
        rig.removeAll();
        return took;
    }

    String createJava(String name, String image, String... cmd) {
        com.github.dockerjava.api.command.CreateContainerCmd create = rig.docker().createContainerCmd(image);
        if (cmd.length > 0) {
            create.withCmd(cmd);
        }
        return create.withName(name).withLabels(rig.labels())
                .withHostConfig(HostConfig.newHostConfig().withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE,
                        Map.of("max-size", "100m", "max-file", "2")))
                        .withRestartPolicy(RestartPolicy.unlessStoppedRestart()))
                .exec().getId();
    }

    private double floorJava(int n) {
        DockerClient docker = rig.docker();
        long begin = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String id = createJava("java-" + i, Rig.IMAGE);
            docker.startContainerCmd(id).exec();
        }
        double took = (System.nanoTime() - begin) / 1e6;
        rig.removeAll();
        return took;
    }

    double floorJavaConcurrent(int n, int threads) {
        DockerClient docker = rig.docker();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long begin = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "java4-" + i;
                all.add(pool.submit(() -> docker.startContainerCmd(createJava(name, Rig.IMAGE)).exec()));
            }
            for (Future<?> f : all) {
                f.get();
            }
            double took = (System.nanoTime() - begin) / 1e6;
            rig.removeAll();
            return took;
        } catch (Exception e) {
            throw new IllegalStateException("the concurrent floor failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Gantry's safe replacement of each of {@code n} containers, done with docker-java; the agent must be stopped. */
    double floorJavaRecreate(int n) {
        DockerClient docker = rig.docker();
        List<String> olds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = createJava("recj-" + i, Rig.IMAGE);
            docker.startContainerCmd(id).exec();
            olds.add(id);
        }
        long begin = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = "recj-" + i;
            String fresh = createJava(name + ".new", Rig.IMAGE_2);
            docker.stopContainerCmd(olds.get(i)).exec();
            docker.renameContainerCmd(olds.get(i)).withName(name + ".old").exec();
            docker.renameContainerCmd(fresh).withName(name).exec();
            docker.startContainerCmd(fresh).exec();
            docker.removeContainerCmd(olds.get(i)).withForce(true).exec();
        }
        double took = (System.nanoTime() - begin) / 1e6;
        rig.removeAll();
        return took;
    }

    static double millis(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

}
