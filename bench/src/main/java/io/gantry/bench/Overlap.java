package io.gantry.bench;

import com.github.dockerjava.api.DockerClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Group {@code overlap}: the update agent's phases each overlap their engine calls, measured against the floor that
 * shows what overlapping can reach: N = 10 new containers (auto mode starts each as soon as it is created) against
 * docker-java creating and starting four at a time; an empty desired state for N = 10 containers that ignore SIGTERM
 * against one stop timeout plus the engine's removal of the 10; an image change of N = 10 against docker-java's safe
 * replacement one container at a time. Floors run while the agent is stopped, as in {@link Convergence}.
 */
final class Overlap {

    static final int N = 10;
    /** {@code engine.default_stop_timeout} of the agent, and the timeout of the floor's stop. */
    static final int STOP_TIMEOUT_SECONDS = 2;
    /** PID 1 without a handler: the kernel drops SIGTERM, so a stop waits for its timeout and then kills. */
    private static final List<String> IGNORES_TERM = List.of("sleep", "3600");

    private final Rig rig;
    private final boolean quick;
    private final Convergence convergence;
    private final Map<String, Samples> figures = new LinkedHashMap<>();

    Overlap(Rig rig, boolean quick) {
        this.rig = rig;
        this.quick = quick;
        this.convergence = new Convergence(rig, quick);
    }

    private Samples figure(String name) {
        return figures.computeIfAbsent(name, k -> new Samples());
    }

    void run(Report report) {
        int repetitions = quick ? 2 : 5;
        for (int r = 0; r < repetitions; r++) {
            rig.stopAgent();
            figure("java4").add(convergence.floorJavaConcurrent(N, 4));
            figure("recreate java").add(convergence.floorJavaRecreate(N));
            floorRemoval(N);
            rig.startAgent("0s", "", STOP_TIMEOUT_SECONDS + "s", "");
            // loads and compiles the update path once, as in Convergence
            convergence.gantry("first", 1, Rig.IMAGE, null);
            convergence.removeViaCli(1);
            figure("new").add(convergence.gantry("new", N, Rig.IMAGE, null));
            convergence.removeViaCli(N);
            convergence.gantry("rec", N, Rig.IMAGE, null);
            figure("recreate").add(convergence.gantry("rec", N, Rig.IMAGE_2, null));
            convergence.removeViaCli(N);
            convergence.gantry(Convergence.desiredState("term", N, Rig.IMAGE, IGNORES_TERM), "term × " + N, null);
            figure("removal").add(convergence.gantry(Convergence.desiredState("term", 0, Rig.IMAGE),
                    "empty after term × " + N, null));
            rig.awaitTwinDeletes(N);
        }
        rig.stopAgent();
        report.add(table(report));
    }

    private Report.Table table(Report report) {
        Report.Table t = report.table("Overlapped phases: desired state published → COMPLETED against the floor (median"
                + " ms)", "case", "Gantry", "floor", "Gantry / floor", "target");
        double neu = figure("new").median();
        double java4 = figure("java4").median();
        t.row("N = " + N + " new containers, auto mode" + reps("new"), Report.ms(neu), Report.ms(java4)
                + " (docker-java, 4 at a time)", Report.ratio(neu / java4), "≤ 1.1");
        double removal = figure("removal").median();
        double floor = figure("stop one").median() + figure("remove all").median();
        t.row("N = " + N + " removed, ignoring SIGTERM (stop timeout " + STOP_TIMEOUT_SECONDS + " s)"
                + reps("removal"), Report.ms(removal), Report.ms(floor) + " (one stop " + Report.ms(figure("stop one")
                .median()) + " + removal of " + N + " " + Report.ms(figure("remove all").median()) + ")",
                Report.ratio(removal / floor), "≤ 1.5");
        double rec = figure("recreate").median();
        double recJava = figure("recreate java").median();
        t.row("N = " + N + ", image changed (recreate)" + reps("recreate"), Report.ms(rec), Report.ms(recJava)
                + " (docker-java, one by one)", Report.ratio(rec / recJava), "≤ 0.6");
        t.note("update_agent.settle_time = 0 s, engine.default_stop_timeout = " + STOP_TIMEOUT_SECONDS + " s. The "
                + "SIGTERM row's containers run `sleep 3600` as PID 1, which the kernel does not let SIGTERM end; its "
                + "floor is one docker-java stop of such a container with the same timeout plus docker-java removing "
                + "the " + N + " stopped containers all at once.");
        t.note("Recreate floor: docker-java doing Gantry's safe replacement per container, one after another (create"
                + " under a temporary name, stop the old one, rename it aside, rename the new one, start it, remove"
                + " the old one).");
        return t;
    }

    private String reps(String figure) {
        return " (" + figure(figure).count() + "×)";
    }

    /**
     * The floor of removing {@code n} containers that ignore SIGTERM: the stop of one of them with the agent's stop
     * timeout, then the removal of all {@code n}, stopped, at once; the agent must be stopped.
     */
    private void floorRemoval(int n) {
        DockerClient docker = rig.docker();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = convergence.createJava("termj-" + i, Rig.IMAGE, IGNORES_TERM.toArray(String[]::new));
            docker.startContainerCmd(id).exec();
            ids.add(id);
        }
        long begin = System.nanoTime();
        docker.stopContainerCmd(ids.get(0)).withTimeout(STOP_TIMEOUT_SECONDS).exec();
        figure("stop one").add((System.nanoTime() - begin) / 1e6);
        for (String id : ids.subList(1, n)) {
            docker.killContainerCmd(id).exec();
            docker.waitContainerCmd(id).start().awaitStatusCode();
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            begin = System.nanoTime();
            List<Future<?>> all = new ArrayList<>();
            for (String id : ids) {
                all.add(pool.submit(() -> docker.removeContainerCmd(id).withForce(true).exec()));
            }
            for (Future<?> f : all) {
                f.get();
            }
            figure("remove all").add((System.nanoTime() - begin) / 1e6);
        } catch (Exception e) {
            throw new IllegalStateException("the removal floor failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        rig.removeAll();
    }
}
