package io.gantry.ditto;

import io.gantry.config.AgentConfig;
import io.gantry.config.ThingsConfig;
import io.gantry.core.command.ContainerCommands;
import io.gantry.core.concurrent.KeyedExecutor;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.Subscription;
import io.gantry.core.policy.Refusal;
import io.gantry.core.time.TimeSync;
import io.gantry.core.transport.MessageTransport;
import io.gantry.core.twin.TwinMirror;
import io.gantry.ditto.feature.ContainerFactoryOperations;
import io.gantry.ditto.feature.ContainerOperations;
import io.gantry.ditto.feature.FeatureIds;
import io.gantry.ditto.inbound.FeatureOperations;
import io.gantry.ditto.inbound.InboundRouter;
import io.gantry.ditto.protocol.DittoCodec;
import io.gantry.ditto.protocol.MqttTopics;
import io.gantry.ditto.protocol.ThingIdentity;
import io.gantry.ditto.software.ArtifactDownloader;
import io.gantry.ditto.software.SoftwareUpdatableOperations;
import io.gantry.kanto.json.JsonInput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The digital twin: the entry object the composition root builds, starts, reconfigures and stops. It mirrors every
 * container into the Ditto thing {@code <deviceId>:edge:containers} over the local MQTT broker and executes the
 * cloud's commands, speaking Kanto container-management's protocol (reference/kanto-things.md).
 *
 * <p>Lifecycle: {@link #start()} subscribes to the engine's events and to the connector's
 * {@code edge/thing/response} (or, with a static {@code things.device_id}, uses that device at once); on every
 * connection it asks for the device (§1.3), registers the whole twin (§4.1), then subscribes to the device's
 * commands. When the local broker's bridge to the cloud connects again ({@code things.bridge_state_topic}), it
 * publishes the whole twin again. {@link #applyConfig} applies a changed configuration; {@link #stop()} publishes
 * nothing and leaves the executors, which the caller owns, running.
 *
 * <p>Threading: the twin's state lives on {@code twinLoop} (a single thread, {@code gantry-twin}); commands run on
 * {@code commands}, keyed by container; MQTT and engine callbacks only decode and hand off. All public methods may be
 * called from any thread.
 */
public final class DittoTwin {

    private static final Logger LOG = LoggerFactory.getLogger(DittoTwin.class);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(2);

    private final MessageTransport transport;
    private final Executor loop;
    private final TwinFeatures features;
    private final TwinMirror mirror;
    private final InboundRouter router;
    private final Map<String, FeatureOperations> operations = new ConcurrentHashMap<>();

    // Owned by the loop; config is also read on the transport's thread, hence volatile.
    private volatile AgentConfig config;
    private Optional<ThingIdentity> current = Optional.empty();
    private boolean awaitingResponse;
    private final BridgeStates bridges = new BridgeStates();

    // Written on the loop, closed from stop() on any thread.
    private volatile boolean running;
    private volatile Subscription commandSubscription;
    private volatile Subscription responseSubscription;
    private volatile Subscription connectionSubscription;
    private volatile Subscription bridgeSubscription;
    private volatile String subscribedThingId = "";

    /**
     * @param stateDir   where the stale-feature file lives (normally {@code config.stateDir()})
     * @param twinLoop   runs one task at a time, in order: {@code Threads.single("gantry-twin")}
     * @param commands   runs blocking operations, keyed by container
     */
    public DittoTwin(AgentConfig config, ContainerEngine engine, MessageTransport transport, Path stateDir,
                     Executor twinLoop, KeyedExecutor commands) {
        this.config = Objects.requireNonNull(config, "config");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.loop = Objects.requireNonNull(twinLoop, "twinLoop");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(commands, "commands");
        // The mirror knows which containers were stopped rather than exited; commands name states as Kanto does.
        ContainerCommands containerCommands = new ContainerCommands(engine, this::stoppedFromOutside);
        this.features = new TwinFeatures(new Outbox(transport), new FeatureStateFile(stateDir), transport, twinLoop,
                enabledFeatures(config.things()), operations, new ContainerOperations(containerCommands));
        operations.put(FeatureIds.CONTAINER_FACTORY, new ContainerFactoryOperations(containerCommands));
        operations.put(FeatureIds.SOFTWARE_UPDATABLE, new SoftwareUpdatableOperations(containerCommands, engine,
                ArtifactDownloader.create(DOWNLOAD_TIMEOUT), features, commands));
        operations.put(FeatureIds.METRICS, FeatureOperations.none());
        this.mirror = new TwinMirror(engine, features, twinLoop);
        this.router = new InboundRouter(features::view, commands, transport,
                config.connection().maxPayloadSize().bytes());
    }

    /**
     * Sets the operations of a feature, replacing the built-in ones: the Metrics feature's {@code request} is plugged
     * in this way. May be called before or after {@link #start()}.
     */
    public void plug(String featureId, FeatureOperations featureOperations) {
        operations.put(Objects.requireNonNull(featureId, "featureId"),
                Objects.requireNonNull(featureOperations, "featureOperations"));
    }

    /**
     * Runs {@code listener} each time the whole twin is published again after its first registration: after a
     * reconnect, a healed bridge to the cloud, a changed device, policy or feature list, or an engine resync (Gantry's
     * {@code twin resyncs}). It runs on the twin's loop and must return at once. May be called before or after
     * {@link #start()}.
     */
    public void onRepublished(Runnable listener) {
        features.onRepublished(listener);
    }

    /**
     * Runs {@code listener} with the thing id each time the whole twin is published, the first registration
     * included. It runs on the twin's loop and must return at once. May be called before or after {@link #start()}.
     */
    public void onPublished(Consumer<String> listener) {
        features.onPublished(listener);
    }

    /**
     * The "time good" status of the system clock, published as the {@code timeSync} property of the {@code Gantry}
     * feature when that feature is enabled (at once when the twin is registered, else with the next registration).
     * Any thread.
     */
    public void timeSync(TimeSync status) {
        Objects.requireNonNull(status, "status");
        loop.execute(() -> features.timeSync(status));
    }

    /**
     * The recent refusals of the operator's policy and trust rules (newest first), published as the
     * {@code recentRefusals} property of the {@code Gantry} feature when that feature is enabled, as {@link #timeSync}.
     * {@code recent} is read on the twin's loop, so that of changes told from several threads the newest wins. Any
     * thread.
     */
    public void refusals(Supplier<List<Refusal>> recent) {
        Objects.requireNonNull(recent, "recent");
        loop.execute(() -> features.refusals(recent.get()));
    }

    /** Where plugged features publish their live messages (Metrics data). */
    public LiveMessages liveMessages() {
        return features::publishLive;
    }

    public void start() {
        loop.execute(this::startOnLoop);
    }

    /** Stops listening to the engine and the broker. Nothing is published (kanto-things §1.5). */
    public void stop() {
        running = false;
        mirror.stop();
        closeAll();
        LOG.info("Twin stopped");
    }

    /** Reads every container again and re-publishes the whole twin (an engine restart seen elsewhere). */
    public void resync() {
        mirror.resync();
    }

    /**
     * Applies a changed configuration: {@code things.enable}, {@code things.features}, a static
     * {@code things.device_id}/{@code tenant_id} and {@code connection.max_payload_size} take effect at once; the
     * other settings are not the twin's.
     */
    public void applyConfig(AgentConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig");
        router.maxPayloadBytes(newConfig.connection().maxPayloadSize().bytes());
        loop.execute(() -> reconfigure(newConfig));
    }

    // ---- on the loop ------------------------------------------------------------------------------------------

    private void startOnLoop() {
        if (running) {
            return;
        }
        if (!config.things().enable()) {
            LOG.info("The digital twin is disabled (things.enable = false)");
            return;
        }
        running = true;
        connectionSubscription = transport.addConnectionListener(new MessageTransport.ConnectionListener() {
            @Override
            public void onConnected() {
                loop.execute(DittoTwin.this::connected);
            }

            @Override
            public void onDisconnected(String reason) {
                loop.execute(features::connectionChanged);
            }
        });
        Optional<ThingIdentity> fixed = staticIdentity(config.things());
        warnIfUnusable(config.things(), fixed);
        if (fixed.isPresent()) {
            LOG.info("Twin for the configured device {} (thing {})", fixed.get().deviceId(), fixed.get().thingId());
            current = fixed;
            features.identity(fixed.get(), false);
        } else {
            responseSubscription = transport.subscribe(MqttTopics.THING_RESPONSE, this::onThingResponse);
        }
        subscribeBridgeStates(config.things());
        mirror.start();
        if (transport.isConnected()) {
            connected();
        }
    }

    /** Each (re)connection: Kanto asks the connector again, and the next answer registers the whole twin (§1.3). */
    private void connected() {
        if (!running) {
            return;
        }
        features.connectionChanged();
        if (staticIdentity(config.things()).isPresent()) {
            registerAndSubscribe();
        } else {
            awaitingResponse = true;
            transport.publish(MqttTopics.THING_REQUEST, DittoCodec.THING_REQUEST, false).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.warn("Could not ask the cloud connector for the device: {}", e.getMessage());
                }
            });
        }
    }

    /**
     * A bridge that carries the twin's topics to the cloud came back: what the back end missed while it was down may
     * be more than the bridge kept, so the whole twin goes up again (one resync, coalesced with any already queued).
     * While Gantry's own connection is down or awaits the connector's answer, that registration covers it.
     */
    private void bridgeState(String topic, boolean connected) {
        boolean cameUp = bridges.cameUp(topic, connected);
        if (!running || !cameUp) {
            if (running && !connected) {
                LOG.info("The local broker's bridge {} is down", topic);
            }
            return;
        }
        if (current.isPresent() && transport.isConnected() && !awaitingResponse) {
            LOG.info("The local broker's bridge {} is up again; publishing the whole twin", topic);
            mirror.resync();
        }
    }

    /** §1.3 step 3, on the loop. */
    private void thingResponse(ThingIdentity announced) {
        if (!running || staticIdentity(config.things()).isPresent()) {
            return;
        }
        Optional<ThingIdentity> previous = current;
        if (previous.isPresent() && previous.get().sameThing(announced) && !awaitingResponse) {
            if (previous.get().equals(announced)) {
                LOG.debug("The connector repeated the device {}; nothing to do", announced.deviceId());
                return;
            }
            LOG.info("The policy of {} changed; publishing the twin again", announced.thingId());
            current = Optional.of(announced);
            features.identity(announced, false);
            registerAndSubscribe();
            return;
        }
        awaitingResponse = false;
        adopt(announced);
    }

    /** The device is (now) {@code identity}: move the command subscription if the thing changed, register, subscribe. */
    private void adopt(ThingIdentity identity) {
        boolean newDevice = current.map(c -> !c.sameThing(identity)).orElse(false);
        if (newDevice) {
            LOG.info("The device changed from {} to {}", current.get().deviceId(), identity.deviceId());
        }
        if (!subscribedThingId.equals(identity.thingId())) {
            closeCommands();
        }
        current = Optional.of(identity);
        features.identity(identity, newDevice);
        if (transport.isConnected()) {
            registerAndSubscribe();
        }
    }

    /** Kanto's order (§4.1): the whole twin first, then the command subscription. */
    private void registerAndSubscribe() {
        features.requestRegistration();
        mirror.resync();
        loop.execute(() -> {
            if (running && current.isPresent() && commandSubscription == null) {
                ThingIdentity thing = current.get();
                commandSubscription = transport.subscribe(MqttTopics.commands(thing), router);
                subscribedThingId = thing.thingId();
                LOG.info("Listening for commands to {}", thing.thingId());
            }
        });
    }

    private void reconfigure(AgentConfig newConfig) {
        ThingsConfig before = config.things();
        ThingsConfig after = newConfig.things();
        config = newConfig;
        if (before.enable() != after.enable()) {
            if (after.enable()) {
                startOnLoop();
            } else {
                LOG.info("The digital twin was disabled (things.enable = false)");
                stop();
            }
            return;
        }
        if (!running) {
            return;
        }
        Set<String> enabled = enabledFeatures(after);
        if (!enabled.equals(enabledFeatures(before))) {
            LOG.info("Twin features are now {}", enabled);
            features.enable(enabled);
            if (current.isPresent() && transport.isConnected()) {
                registerAndSubscribe();
            }
        }
        if (!after.bridgeStateTopic().equals(before.bridgeStateTopic())) {
            close(bridgeSubscription);
            bridgeSubscription = null;
            bridges.clear();
            subscribeBridgeStates(after);
        }
        Optional<ThingIdentity> fixedBefore = staticIdentity(before);
        Optional<ThingIdentity> fixedAfter = staticIdentity(after);
        warnIfUnusable(after, fixedAfter);
        if (!fixedAfter.equals(fixedBefore)) {
            switchDeviceSource(fixedBefore, fixedAfter);
        }
    }

    private void switchDeviceSource(Optional<ThingIdentity> before, Optional<ThingIdentity> after) {
        if (after.isPresent()) {
            close(responseSubscription);
            responseSubscription = null;
            LOG.info("Twin for the configured device {} (thing {})", after.get().deviceId(), after.get().thingId());
            adopt(after.get());
            return;
        }
        LOG.info("No device is configured any more; waiting for the cloud connector");
        closeCommands();
        current = Optional.empty();
        features.forgetIdentity();
        responseSubscription = transport.subscribe(MqttTopics.THING_RESPONSE, this::onThingResponse);
        if (transport.isConnected()) {
            connected();
        }
    }

    private void subscribeBridgeStates(ThingsConfig things) {
        if (!things.bridgeStateTopic().isEmpty()) {
            bridgeSubscription = transport.subscribe(things.bridgeStateTopic(), this::onBridgeState);
        }
    }

    // ---- on the transport's thread ----------------------------------------------------------------------------

    private void onBridgeState(String topic, byte[] payload) {
        try {
            Optional<Boolean> connected = BridgeStates.parse(payload);
            if (connected.isEmpty()) {
                // The payload is not echoed: anything may be published there.
                LOG.warn("Ignored a message of {} bytes on the bridge-state topic {} (expected 1 or 0)",
                        payload.length, topic);
                return;
            }
            loop.execute(() -> bridgeState(topic, connected.get()));
        } catch (RuntimeException e) {
            LOG.error("Failed to handle {}: {}", topic, e.toString(), e);
        }
    }

    private void onThingResponse(String topic, byte[] payload) {
        try {
            parseThingResponse(payload).ifPresent(identity -> loop.execute(() -> thingResponse(identity)));
        } catch (RuntimeException e) {
            LOG.error("Failed to handle {}: {}", topic, e.toString(), e);
        }
    }

    /** {@code {"deviceId":…,"tenantId":…,"policyId":…}}; anything unusable is logged and ignored, as in Kanto. */
    Optional<ThingIdentity> parseThingResponse(byte[] payload) {
        if (payload.length > config.connection().maxPayloadSize().bytes()) {
            LOG.warn("Ignored an {} of {} bytes: over the payload limit", MqttTopics.THING_RESPONSE, payload.length);
            return Optional.empty();
        }
        try {
            JsonInput response = JsonInput.of(DittoCodec.readObject(payload), "");
            return Optional.of(new ThingIdentity(response.field("deviceId").string(""),
                    response.field("tenantId").string(""), response.field("policyId").string("")));
        } catch (IllegalArgumentException | io.gantry.ditto.protocol.DittoException e) {
            LOG.warn("Ignored an unusable {}: {}", MqttTopics.THING_RESPONSE, e.getMessage());
            return Optional.empty();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static void warnIfUnusable(ThingsConfig things, Optional<ThingIdentity> identity) {
        if (!things.deviceId().isEmpty() && identity.isEmpty()) {
            try {
                new ThingIdentity(things.deviceId(), things.tenantId(), "");
            } catch (IllegalArgumentException e) {
                LOG.error("things.device_id cannot be used, so the twin waits for edge/thing/response: {}",
                        e.getMessage());
            }
        }
    }

    /** The configured identity; empty without one, or when it breaks Ditto's or MQTT's rules (logged on change). */
    private static Optional<ThingIdentity> staticIdentity(ThingsConfig things) {
        if (things.deviceId().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ThingIdentity(things.deviceId(), things.tenantId(), ""));
        } catch (IllegalArgumentException e) {
            // the configuration's own check is looser than Ditto's rules; the twin then waits for a cloud connector
            return Optional.empty();
        }
    }

    /** Kanto takes only its own, case-sensitive ids and ignores the rest (kanto-things §1.6). */
    private static Set<String> enabledFeatures(ThingsConfig things) {
        Set<String> enabled = new LinkedHashSet<>();
        for (String feature : things.features()) {
            if (ThingsConfig.KNOWN_FEATURES.contains(feature)) {
                enabled.add(feature);
            } else {
                LOG.warn("Ignored unknown twin feature \"{}\" in things.features", feature);
            }
        }
        return enabled;
    }

    private boolean stoppedFromOutside(io.gantry.core.container.ContainerId id) {
        return mirror.stoppedFromOutside(id);
    }

    private void closeCommands() {
        Subscription s = commandSubscription;
        commandSubscription = null;
        subscribedThingId = "";
        close(s);
    }

    private void closeAll() {
        closeCommands();
        close(responseSubscription);
        responseSubscription = null;
        close(connectionSubscription);
        connectionSubscription = null;
        close(bridgeSubscription);
        bridgeSubscription = null;
    }

    private static void close(Subscription subscription) {
        if (subscription != null) {
            subscription.close();
        }
    }
}
