package io.gantry.update;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.DeploymentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.update.deployment.DescriptorDeployment;
import io.gantry.update.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update agent and the descriptor deployment as two fronts of one {@link OperationRunner}: one journal, one
 * recovery at start. The agent dies (like {@code kill -9}: the engine stops answering at once) at engine changes
 * while a descriptor deployment and a desired state are carried out at once; the next start ends whichever
 * operation the journal holds, and no container is left over or doubled.
 */
class OneEngineRoomTest {

    private static final List<String> FILE_CONTAINERS = List.of("fweb", "fdb");

    @TempDir
    Path base;

    /** A runner with both fronts, over {@code h}'s engine and state directory. */
    private record Room(OperationRunner runner, UpdateAgent agent, DescriptorDeployment deployment)
            implements AutoCloseable {

        static Room open(Harness h, Path files) {
            OperationRunner runner = new OperationRunner(h.engine, h.stateDir, () -> h.config);
            UpdateAgent agent = new UpdateAgent(h.config, h.engine, h.transport, Harness.CLOCK, runner);
            agent.start();
            DescriptorDeployment deployment = new DescriptorDeployment(new DeploymentConfig(true, "update", files),
                    h.engine, Clock.systemUTC(), h.stateDir, runner);
            deployment.start();
            runner.start();
            return new Room(runner, agent, deployment);
        }

        /** Stops the runner first: the operation under way stops at its next safe point, as at a kill. */
        @Override
        public void close() {
            runner.stop();
            agent.stop();
            deployment.stop();
        }
    }

    private static Harness prepared(Path stateDir) {
        Harness h = new Harness(stateDir, Harness.auto()).withMixedState();
        h.fake.withImage("registry.local/fweb:1").withImage("registry.local/fdb:1");
        return h;
    }

    private static Path files(Path dir) throws Exception {
        Files.createDirectories(dir);
        for (String name : FILE_CONTAINERS) {
            Files.writeString(dir.resolve(name + ".json"), "{\"container_name\": \"" + name
                    + "\", \"image\": {\"name\": \"registry.local/" + name + ":1\"}}");
        }
        return dir;
    }

    /** The containers of the desired state's side: name → image and run state. */
    private static Map<String, String> desiredSide(FakeContainerEngine fake) {
        Map<String, String> shape = new TreeMap<>();
        for (Container c : fake.list()) {
            if (!FILE_CONTAINERS.contains(c.name().value())) {
                shape.put(c.name().value(), c.image().canonical() + " " + c.status().dockerName());
            }
        }
        return shape;
    }

    private static void assertNoLeftoverOrDuplicate(FakeContainerEngine fake, String where) {
        List<String> names = fake.list().stream().map(c -> c.name().value()).toList();
        assertThat(names).as(where).doesNotHaveDuplicates().noneMatch(n -> n.contains(".gantry-"));
        for (String name : FILE_CONTAINERS) {
            assertThat(fake.find(name)).as(where + ": " + name).hasValueSatisfying(c -> {
                assertThat(c.image().text()).isEqualTo("registry.local/" + name + ":1");
                assertThat(c.status()).isEqualTo(ContainerStatus.RUNNING);
            });
        }
    }

    @Test
    void bothFrontsAtOnce_shareOneJournal_andConverge() throws Exception {
        Path stateDir = base.resolve("clean");
        Harness h = prepared(stateDir);
        try (Room room = Room.open(h, files(base.resolve("clean-files")))) {
            h.send(Harness.mixedDesiredState("act-1"));
            assertThat(h.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
            Harness.await().until(() -> FILE_CONTAINERS.stream().allMatch(n -> h.fake.find(n)
                    .filter(c -> c.status() == ContainerStatus.RUNNING).isPresent())
                    && !new Journal(stateDir).exists());
        }
        assertNoLeftoverOrDuplicate(h.fake, "clean");
        assertThat(Files.exists(stateDir.resolve("deployment/operation.json"))).isFalse();
        assertThat(new Journal(stateDir).exists()).isFalse();
    }

    @Test
    void killedDuringADescriptorDeploymentAndADesiredStateAtOnce_leavesNoLeftoverOrDuplicate() throws Exception {
        Map<String, String> converged;
        int changes;
        {
            Harness clean = prepared(base.resolve("reference"));
            Map<String, String> before = desiredSide(clean.fake);
            try (Room room = Room.open(clean, files(base.resolve("reference-files")))) {
                clean.send(Harness.mixedDesiredState("act-1"));
                assertThat(clean.awaitEnd("act-1").status()).isEqualTo("COMPLETED");
                Harness.await().until(() -> FILE_CONTAINERS.stream().allMatch(n -> clean.fake.find(n)
                        .filter(c -> c.status() == ContainerStatus.RUNNING).isPresent()));
            }
            converged = desiredSide(clean.fake);
            assertThat(converged).isNotEqualTo(before);
            changes = clean.engine.changeCount();
        }
        List<String> outcomes = new ArrayList<>();
        for (int k = 1; k <= changes; k += 2) {
            String where = "kill at change " + k;
            Path stateDir = base.resolve("kill-" + k);
            Path files = files(base.resolve("kill-" + k + "-files"));
            Harness first = prepared(stateDir);
            Map<String, String> before = desiredSide(first.fake);
            first.engine.crashAt(k, k % 4 == 1);
            Room room = Room.open(first, files);
            first.send(Harness.mixedDesiredState("act-1"));
            assertThat(first.engine.awaitCrash(10)).as(where).isTrue();
            first.fake.goDown();   // nothing more reaches the engine, as after kill -9
            room.close();
            first.fake.comeBack();
            boolean journaled = new Journal(stateDir).exists();

            Harness second = new Harness(first.fake, stateDir, Harness.auto());
            try (Room again = Room.open(second, files)) {
                boolean ended = first.feedback("act-1").stream().anyMatch(f -> f.status().equals("COMPLETED")
                        || f.status().equals("INCOMPLETE"));
                if (!ended) {
                    // the one recovery at start ends the desired state's activity on MQTT
                    second.awaitEnd("act-1");
                }
                Harness.await().alias(where).until(() -> !new Journal(stateDir).exists()
                        && FILE_CONTAINERS.stream().allMatch(n -> first.fake.find(n)
                        .filter(c -> c.status() == ContainerStatus.RUNNING).isPresent()));
                assertNoLeftoverOrDuplicate(first.fake, where);
                Map<String, String> side = desiredSide(first.fake);
                assertThat(side).as(where).isIn(before, converged);
                outcomes.add(where + (journaled ? " (journaled)" : "") + ": "
                        + (side.equals(before) ? "rolled back" : "converged"));
            }
        }
        assertThat(outcomes).hasSizeGreaterThan(5).anyMatch(o -> o.contains("journaled"))
                .anyMatch(o -> o.endsWith("rolled back")).anyMatch(o -> o.endsWith("converged"));
    }

    @Test
    void aDescriptorOperationInTheFormerJournal_isEndedByTheOneRecovery() throws Exception {
        Path stateDir = base.resolve("former");
        Harness h = prepared(stateDir);
        Path files = files(base.resolve("former-files"));
        h.engine.crashAt(2, true);   // fweb's (or fdb's) container is created, not yet started
        Room room = Room.open(h, files);
        assertThat(h.engine.awaitCrash(10)).isTrue();
        h.fake.goDown();
        room.close();
        h.fake.comeBack();
        // where a previous version's descriptor deployment kept its journal
        Journal former = new Journal(stateDir, "deployment");
        Files.createDirectories(former.file().getParent());
        Files.move(new Journal(stateDir).file(), former.file());
        assertThat(former.read()).hasValueSatisfying(r -> assertThat(r.mode()).isEqualTo("deployment"));

        Harness second = new Harness(h.fake, stateDir, Harness.auto());
        try (Room again = Room.open(second, files)) {
            Harness.await().until(() -> !former.exists() && !new Journal(stateDir).exists()
                    && FILE_CONTAINERS.stream().allMatch(n -> h.fake.find(n)
                    .filter(c -> c.status() == ContainerStatus.RUNNING).isPresent()));
        }
        assertNoLeftoverOrDuplicate(h.fake, "former journal");
        assertThat(second.feedback("descriptor fweb.json")).isEmpty();
    }
}
