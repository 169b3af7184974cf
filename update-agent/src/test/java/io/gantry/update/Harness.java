package io.gantry.update;


import io.gantry.config.UpdateAgentConfig;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.FakeContainerEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.RestartPolicy;
import io.gantry.core.transport.RecordingTransport;
import io.gantry.update.protocol.FeedbackStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An update agent on a fake engine and an in-memory transport, with helpers to send messages and read what was
 * published. Time is fixed, so published messages are deterministic.
 */
final class Harness implements AutoCloseable {

    static final Instant NOW = Instant.parse("2024-06-28T07:40:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String DESIRED = "containersupdate/desiredstate";
    static final String COMMAND = "containersupdate/desiredstate/command";
    static final String GET = "containersupdate/currentstate/get";
    static final String FEEDBACK = "containersupdate/desiredstatefeedback";
    static final String CURRENT = "containersupdate/currentstate";
    private static final Set<String> FINAL = Set.of(FeedbackStatus.COMPLETED.name(), FeedbackStatus.INCOMPLETE.name(),
            FeedbackStatus.IDENTIFICATION_FAILED.name());

    final FakeContainerEngine fake;
    final ControlledEngine engine;
    final RecordingTransport transport;
    final Path stateDir;
    UpdateAgentConfig config;
    UpdateAgent agent;
    /** The agent's clock: {@link #CLOCK} unless a test controls it. */
    Clock clock = CLOCK;

    Harness(Path stateDir, UpdateAgentConfig config) {
        this(new FakeContainerEngine(CLOCK), stateDir, config);
    }

    /** A harness on an existing fake engine, as after a restart of the agent. */
    Harness(FakeContainerEngine fake, Path stateDir, UpdateAgentConfig config) {
        this.fake = fake;
        this.engine = new ControlledEngine(fake);
        this.transport = new RecordingTransport();
        this.stateDir = stateDir;
        this.config = config;
    }

    static UpdateAgentConfig auto() {
        return new UpdateAgentConfig(true, UpdateAgentConfig.AUTO, "containers", List.of(), false, Duration.ZERO,
                Duration.ofSeconds(2));
    }

    static UpdateAgentConfig orchestrated() {
        return new UpdateAgentConfig(true, UpdateAgentConfig.ORCHESTRATED, "containers", List.of(), false,
                Duration.ZERO, Duration.ofSeconds(2));
    }

    Harness start() {
        return start(status -> { });
    }

    /** Starts the agent with {@code finished} hearing the final status of each operation. */
    Harness start(java.util.function.Consumer<FeedbackStatus> finished) {
        agent = new UpdateAgent(config, engine, transport, clock, stateDir);
        agent.onFinished(finished);
        agent.start();
        return this;
    }

    void send(byte[] desiredState) {
        transport.deliver(DESIRED, desiredState);
    }

    void command(String activityId, String command) {
        transport.deliver(COMMAND, Messages.command(activityId, command, ""));
    }

    void command(String activityId, String command, String baseline) {
        transport.deliver(COMMAND, Messages.command(activityId, command, baseline));
    }

    List<Messages.Feedback> feedback(String activityId) {
        return transport.publishedOn(FEEDBACK).stream().map(p -> Messages.feedback(p.payload()))
                .filter(f -> f.activityId().equals(activityId)).toList();
    }

    List<String> statuses(String activityId) {
        return feedback(activityId).stream().map(Messages.Feedback::status).toList();
    }

    Messages.Feedback last(String activityId) {
        List<Messages.Feedback> all = feedback(activityId);
        return all.get(all.size() - 1);
    }

    /** Waits for the operation's last feedback (COMPLETED, INCOMPLETE or IDENTIFICATION_FAILED). */
    Messages.Feedback awaitEnd(String activityId) {
        await().until(() -> statuses(activityId).stream().anyMatch(FINAL::contains));
        return last(activityId);
    }

    /** Waits until the feedback of {@code activityId} has reached {@code status}. */
    Messages.Feedback awaitStatus(String activityId, FeedbackStatus status) {
        await().until(() -> statuses(activityId).contains(status.name()));
        return feedback(activityId).stream().filter(f -> f.status().equals(status.name())).reduce((a, b) -> b)
                .orElseThrow();
    }

    /** Waits until {@code count} feedback messages of {@code activityId} were published. */
    void awaitFeedbackCount(String activityId, int count) {
        await().until(() -> feedback(activityId).size() >= count);
    }

    List<Messages.CurrentState> currentStates() {
        return transport.publishedOn(CURRENT).stream().map(p -> Messages.currentState(p.payload())).toList();
    }

    Container container(String name) {
        return fake.find(name).orElseThrow(() -> new AssertionError("no container " + name));
    }

    /** Name → "image status restart-policy" of every container: the state a test compares before and after. */
    Map<String, String> snapshot() {
        Map<String, String> state = new TreeMap<>();
        for (Container c : fake.list()) {
            state.put(c.name().value(), c.id().shortForm() + " " + c.image().canonical() + " "
                    + c.status().dockerName() + " " + c.spec().restartPolicy() + " "
                    + c.spec().resources().memory().map(Object::toString).orElse("-"));
        }
        return state;
    }

    /** Creates and starts a container as a previous desired state would have (managed by Gantry). */
    ContainerId existing(String name, String image, RestartPolicy policy) {
        fake.withImage(image);
        ContainerId id = fake.create(ContainerSpec.builder(ImageRef.parse(image))
                .name(new io.gantry.core.container.ContainerName(name)).restartPolicy(policy).build(), Map.of());
        fake.start(id);
        return id;
    }

    /** Awaitility, polling often: the fake engine answers at once, so waits are short. */
    static org.awaitility.core.ConditionFactory await() {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5));
    }

    /**
     * The scenario that exercises every kind of action: web is replaced (1 → 2), cache updated in place (restart
     * policy), old destroyed, stable (stopped, restart policy no) checked and started, db created. See
     * {@link #mixedDesiredState}.
     */
    Harness withMixedState() {
        existing("web", "registry.local/web:1", RestartPolicy.UNLESS_STOPPED);
        existing("cache", "registry.local/cache:1", RestartPolicy.UNLESS_STOPPED);
        existing("old", "registry.local/old:1", RestartPolicy.ALWAYS);
        fake.stop(existing("stable", "registry.local/stable:1", RestartPolicy.NO),
                io.gantry.core.container.StopOptions.DEFAULT);
        fake.withRegistryImage("registry.local/web:2").withRegistryImage("registry.local/db:1");
        return this;
    }

    static byte[] mixedDesiredState(String activityId) {
        return Messages.desired(activityId,
                Messages.component("web", "2", "image", "registry.local/web:2"),
                Messages.component("cache", "1", "image", "registry.local/cache:1", "restartPolicy", "always"),
                Messages.component("stable", "1", "image", "registry.local/stable:1", "restartPolicy", "no"),
                Messages.component("db", "1", "image", "registry.local/db:1"));
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.stop();
        }
    }
}
