package io.gantry.ditto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.policy.Refusal;
import io.gantry.core.time.TimeSync;
import io.gantry.core.transport.MessageTransport;
import io.gantry.core.twin.TwinContainer;
import io.gantry.core.twin.TwinSink;
import io.gantry.core.twin.TwinStatus;
import io.gantry.ditto.feature.ContainerFeatureMapper;
import io.gantry.ditto.feature.FeatureIds;
import io.gantry.ditto.feature.Features;
import io.gantry.ditto.feature.GantryFeature;
import io.gantry.ditto.inbound.FeatureOperations;
import io.gantry.ditto.inbound.ThingView;
import io.gantry.ditto.protocol.ThingIdentity;
import io.gantry.ditto.software.OperationReporter;
import io.gantry.ditto.software.OperationStatus;
import io.gantry.ditto.software.SoftwareUpdatableFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features of the thing as Gantry publishes them, kept on the twin thread ({@code gantry-twin}): the registration
 * of reference/kanto-things.md §4.1 on every full picture from the mirror, and the property modifies and deletions of
 * §4.2 as containers change. Nothing is published until the device is known and the twin registered on the current
 * connection; the next registration covers whatever happened in between.
 *
 * <p>Unlike Kanto, SoftwareUpdatable's {@code lastOperation} and {@code lastFailedOperation} survive a re-registration
 * for the same device (a reconnect or a policy change): an install that finished while the connection was down would
 * otherwise leave the back end waiting for a final status that was wiped. They are forgotten when the device changes,
 * because the new thing's back end never asked for them.
 *
 * <p>Threading: every method except {@link #view()} and the {@link OperationReporter} methods must run on the loop;
 * those two may be called from any thread.
 */
final class TwinFeatures implements TwinSink, OperationReporter {

    private static final Logger LOG = LoggerFactory.getLogger(TwinFeatures.class);

    private final Outbox outbox;
    private final FeatureStateFile stateFile;
    private final MessageTransport transport;
    private final Executor loop;
    private final Map<String, FeatureOperations> operations;
    private final FeatureOperations containerOperations;

    // Owned by the loop.
    /** Removes that wait to report REMOVED until the twin has published the container's removal. */
    private final Map<ContainerId, List<CompletableFuture<Void>>> awaitingRemoval = new HashMap<>();
    private Set<String> enabled;
    private Optional<ThingIdentity> thing = Optional.empty();
    private boolean registered;
    private boolean registrationRequested;
    private final Map<ContainerId, TwinContainer> containers = new LinkedHashMap<>();
    private Optional<OperationStatus> lastOperation = Optional.empty();
    private Optional<OperationStatus> lastFailedOperation = Optional.empty();
    private TimeSync timeSync = TimeSync.unknown("not checked yet");
    private List<Refusal> refusals = List.of();

    private boolean registeredBefore;

    private volatile Snapshot snapshot;
    private volatile Runnable republished = () -> { };
    private volatile Consumer<String> published = thingId -> { };

    TwinFeatures(Outbox outbox, FeatureStateFile stateFile, MessageTransport transport, Executor loop,
                 Set<String> enabled, Map<String, FeatureOperations> operations,
                 FeatureOperations containerOperations) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.loop = Objects.requireNonNull(loop, "loop");
        this.operations = Objects.requireNonNull(operations, "operations");
        this.containerOperations = Objects.requireNonNull(containerOperations, "containerOperations");
        this.enabled = ordered(enabled);
        publishView();
    }

    // ---- called by DittoTwin on the loop ------------------------------------------------------------------------

    /** The thing is now {@code identity}; with {@code newDevice} the operation history of the old one is dropped. */
    void identity(ThingIdentity identity, boolean newDevice) {
        if (newDevice) {
            lastOperation = Optional.empty();
            lastFailedOperation = Optional.empty();
        }
        thing = Optional.of(identity);
        registered = false;
        publishView();
    }

    /** The device is no longer known (the configuration changed from a static device to a connector). */
    void forgetIdentity() {
        thing = Optional.empty();
        registered = false;
        publishView();
    }

    /** A new or lost connection: everything must be published again before single changes are. */
    void connectionChanged() {
        registered = false;
        registrationRequested = false;
        publishView();
    }

    /**
     * The next full picture from the mirror is to be published whole (§4.1). Without such a request a full picture
     * is published only when the twin is already registered, i.e. when the engine came back.
     */
    void requestRegistration() {
        registrationRequested = true;
    }

    /** Runs {@code listener} on the loop each time the whole twin is published after the first time; any thread. */
    void onRepublished(Runnable listener) {
        republished = Objects.requireNonNull(listener, "listener");
    }

    /** Runs {@code listener} on the loop with the thing id each time the whole twin is published; any thread. */
    void onPublished(Consumer<String> listener) {
        published = Objects.requireNonNull(listener, "listener");
    }

    /** Changes which features exist; the ones no longer wanted are deleted from the twin. */
    void enable(Set<String> features) {
        Set<String> disabled = new LinkedHashSet<>(enabled);
        disabled.removeAll(features);
        if (live()) {
            ThingIdentity t = thing.get();
            if (disabled.contains(FeatureIds.CONTAINER_FACTORY)) {
                containers.keySet().forEach(id -> outbox.delete(t, FeatureIds.path(FeatureIds.container(id))));
                stateFile.write(t.thingId(), List.of());
            }
            disabled.forEach(f -> outbox.delete(t, FeatureIds.path(f)));
        }
        enabled = ordered(features);
        publishView();
    }

    /** The clock's "time good" status: the {@code Gantry} feature's {@code timeSync} property. */
    void timeSync(TimeSync status) {
        boolean changed = !status.equals(timeSync);
        timeSync = status;
        if (changed && live() && enabled.contains(FeatureIds.GANTRY)) {
            outbox.modify(thing.get(), FeatureIds.propertyPath(FeatureIds.GANTRY, GantryFeature.TIME_SYNC),
                    GantryFeature.timeSync(status));
        }
    }

    /** The recent refusals of the policy and trust rules: the {@code Gantry} feature's {@code recentRefusals}. */
    void refusals(List<Refusal> recent) {
        boolean changed = !recent.equals(refusals);
        refusals = List.copyOf(recent);
        if (changed && live() && enabled.contains(FeatureIds.GANTRY)) {
            outbox.modify(thing.get(), FeatureIds.propertyPath(FeatureIds.GANTRY, GantryFeature.RECENT_REFUSALS),
                    GantryFeature.refusals(refusals));
        }
    }

    // ---- TwinSink: called by the mirror on the loop ---------------------------------------------------------------

    @Override
    public void replaceAll(List<TwinContainer> all) {
        containers.clear();
        all.forEach(c -> containers.put(c.id(), c));
        publishView();
        if (thing.isPresent() && transport.isConnected() && (registered || registrationRequested)) {
            register(thing.get());
        }
        List.copyOf(awaitingRemoval.keySet()).stream().filter(id -> !containers.containsKey(id))
                .forEach(this::releaseRemoval);
    }

    @Override
    public void changed(TwinContainer container, Set<Change> what) {
        containers.put(container.id(), container);
        publishView();
        if (!live()) {
            return;
        }
        ThingIdentity t = thing.get();
        String feature = FeatureIds.container(container.id());
        if (enabled.contains(FeatureIds.CONTAINER_FACTORY)) {
            if (what.contains(Change.CREATED)) {
                outbox.modify(t, FeatureIds.path(feature), ContainerFeatureMapper.feature(container));
                outbox.modify(t, FeatureIds.propertyPath(feature, ContainerFeatureMapper.STATE),
                        ContainerFeatureMapper.state(container));
                stateFile.write(t.thingId(), containers.keySet());
            }
            if (what.contains(Change.STATE)) {
                outbox.modify(t, FeatureIds.propertyPath(feature, ContainerFeatureMapper.STATE),
                        ContainerFeatureMapper.state(container));
            }
            if (what.contains(Change.NAME)) {
                outbox.modify(t, FeatureIds.propertyPath(feature, ContainerFeatureMapper.NAME),
                        ContainerFeatureMapper.name(container));
            }
            if (what.contains(Change.CONFIG)) {
                outbox.modify(t, FeatureIds.propertyPath(feature, ContainerFeatureMapper.CONFIG),
                        ContainerFeatureMapper.config(container));
            }
        }
        if (what.contains(Change.CREATED) && enabled.contains(FeatureIds.SOFTWARE_UPDATABLE)) {
            publishInstalledDependencies(t);
        }
    }

    @Override
    public void removed(ContainerId id, Optional<TwinContainer> last) {
        try {
            publishRemoval(id, last);
        } finally {
            releaseRemoval(id);
        }
    }

    private void publishRemoval(ContainerId id, Optional<TwinContainer> last) {
        TwinContainer known = containers.remove(id);
        publishView();
        if (!live()) {
            return;
        }
        ThingIdentity t = thing.get();
        String feature = FeatureIds.container(id);
        if (enabled.contains(FeatureIds.CONTAINER_FACTORY)) {
            // Kanto's order: the last state as DEAD, then the deletion (§4.2), DEAD only once. A forced removal of a
            // running container dies while Docker already reports it "removing", which the twin shows as DEAD at
            // the die event; then only the deletion is left to publish.
            Optional.ofNullable(known).or(() -> last).filter(c -> c.status() != TwinStatus.DEAD)
                    .ifPresent(c -> outbox.modify(t, FeatureIds.propertyPath(feature, ContainerFeatureMapper.STATE),
                            ContainerFeatureMapper.state(c.dead())));
            outbox.delete(t, FeatureIds.path(feature));
            stateFile.write(t.thingId(), containers.keySet());
        }
        if (known != null && enabled.contains(FeatureIds.SOFTWARE_UPDATABLE)) {
            publishInstalledDependencies(t);
        }
    }

    private void releaseRemoval(ContainerId id) {
        Optional.ofNullable(awaitingRemoval.remove(id)).ifPresent(waiting -> waiting.forEach(w -> w.complete(null)));
    }

    // ---- OperationReporter: any thread ----------------------------------------------------------------------------

    @Override
    public boolean awaitRemoved(ContainerId id, Duration timeout) throws InterruptedException {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        loop.execute(() -> {
            if (containers.containsKey(id)) {
                awaitingRemoval.computeIfAbsent(id, k -> new ArrayList<>()).add(gone);
            } else {
                gone.complete(null);
            }
        });
        try {
            gone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the removal of " + id.shortForm() + " failed", e.getCause());
        }
    }

    @Override
    public void lastOperation(OperationStatus status) {
        loop.execute(() -> {
            lastOperation = Optional.of(status);
            publishOperation(SoftwareUpdatableFeature.LAST_OPERATION, status);
        });
    }

    @Override
    public void lastFailedOperation(OperationStatus status) {
        loop.execute(() -> {
            lastFailedOperation = Optional.of(status);
            publishOperation(SoftwareUpdatableFeature.LAST_FAILED_OPERATION, status);
        });
    }

    /** The snapshot the router checks commands against; any thread. */
    ThingView view() {
        return snapshot;
    }

    /** Live messages go out only while the twin is registered, so they never reach a thing that lacks the feature. */
    void publishLive(String featureId, String subject, JsonNode value) {
        Snapshot s = snapshot;
        if (s.registeredThing().isEmpty() || s.feature(featureId).isEmpty()) {
            LOG.debug("Dropped live message {} of {}: the twin is not registered", subject, featureId);
            return;
        }
        outbox.live(s.registeredThing().get(), featureId, subject, value);
    }

    // ---- internals ----------------------------------------------------------------------------------------------

    private boolean live() {
        return thing.isPresent() && registered;
    }

    /** §4.1: every container feature, the stale ones deleted, then the three features. */
    private void register(ThingIdentity t) {
        if (enabled.contains(FeatureIds.CONTAINER_FACTORY)) {
            containers.values().forEach(c -> outbox.modify(t, FeatureIds.path(FeatureIds.container(c.id())),
                    ContainerFeatureMapper.feature(c)));
            for (ContainerId stale : stateFile.read(t.thingId())) {
                if (!containers.containsKey(stale)) {
                    LOG.info("Deleting the twin feature of container {}, which no longer exists", stale.shortForm());
                    outbox.delete(t, FeatureIds.path(FeatureIds.container(stale)));
                }
            }
            stateFile.write(t.thingId(), containers.keySet());
            outbox.modify(t, FeatureIds.path(FeatureIds.CONTAINER_FACTORY),
                    Features.definition(FeatureIds.CONTAINER_FACTORY_DEFINITION));
        }
        if (enabled.contains(FeatureIds.SOFTWARE_UPDATABLE)) {
            outbox.modify(t, FeatureIds.path(FeatureIds.SOFTWARE_UPDATABLE),
                    SoftwareUpdatableFeature.feature(containerList(), lastOperation, lastFailedOperation));
        }
        if (enabled.contains(FeatureIds.METRICS)) {
            outbox.modify(t, FeatureIds.path(FeatureIds.METRICS), Features.definition(FeatureIds.METRICS_DEFINITION));
        }
        if (enabled.contains(FeatureIds.GANTRY)) {
            outbox.modify(t, FeatureIds.path(FeatureIds.GANTRY), GantryFeature.feature(timeSync, refusals));
        }
        registered = true;
        registrationRequested = false;
        publishView();
        LOG.info("Published the twin {} with {} containers", t.thingId(), containers.size());
        published.accept(t.thingId());
        if (registeredBefore) {
            republished.run();
        }
        registeredBefore = true;
    }

    private void publishInstalledDependencies(ThingIdentity t) {
        JsonNode map = SoftwareUpdatableFeature.installedDependencies(containerList())
                .<JsonNode>map(m -> m).orElse(NullNode.getInstance());
        outbox.modify(t, FeatureIds.propertyPath(FeatureIds.SOFTWARE_UPDATABLE,
                SoftwareUpdatableFeature.INSTALLED_DEPENDENCIES), map);
    }

    private void publishOperation(String property, OperationStatus status) {
        if (live() && enabled.contains(FeatureIds.SOFTWARE_UPDATABLE)) {
            outbox.modify(thing.get(), FeatureIds.propertyPath(FeatureIds.SOFTWARE_UPDATABLE, property),
                    status.toJson());
        }
    }

    private static Set<String> ordered(Set<String> features) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(features));
    }

    private List<Container> containerList() {
        List<Container> list = new ArrayList<>();
        containers.values().forEach(c -> list.add(c.container()));
        return list;
    }

    private void publishView() {
        Set<String> features = new LinkedHashSet<>(enabled); // only known ids: DittoTwin.enabledFeatures filters them
        if (enabled.contains(FeatureIds.CONTAINER_FACTORY)) {
            containers.keySet().forEach(id -> features.add(FeatureIds.container(id)));
        }
        snapshot = new Snapshot(thing, live() ? thing : Optional.empty(), Set.copyOf(features), operations,
                containerOperations);
    }

    /** An immutable view of the twin for the router and for live messages. */
    private record Snapshot(Optional<ThingIdentity> identity, Optional<ThingIdentity> registeredThing,
                            Set<String> features, Map<String, FeatureOperations> operations,
                            FeatureOperations containerOperations) implements ThingView {

        @Override
        public Optional<String> thingId() {
            return identity.map(ThingIdentity::thingId);
        }

        @Override
        public Optional<FeatureOperations> feature(String featureId) {
            if (!features.contains(featureId)) {
                return Optional.empty();
            }
            if (featureId.startsWith(FeatureIds.CONTAINER_PREFIX)) {
                return Optional.of(containerOperations);
            }
            return Optional.of(operations.getOrDefault(featureId, FeatureOperations.none()));
        }
    }
}
