package io.gantry.metrics.agent;

import io.gantry.core.container.EngineListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Gantry's own figures, which other components count and the Prometheus endpoint serves. One instance lives in the
 * composition root and is handed to each component (or to a decorator around it: {@link CountingTransport} for the
 * MQTT figures, {@link #engineListener()} for engine availability). Thread-safe; counting costs an atomic add.
 *
 * <table>
 *   <caption>Figures and who reports them</caption>
 *   <tr><th>Prometheus name</th><th>accessor</th><th>reported by</th></tr>
 *   <tr><td>{@code gantry_uptime_seconds}</td><td>{@link #uptime()}</td><td>the clock</td></tr>
 *   <tr><td>{@code gantry_mqtt_connected}</td><td>{@link #mqttConnected()}</td><td>{@link CountingTransport}</td></tr>
 *   <tr><td>{@code gantry_mqtt_reconnects_total}</td><td>{@link #mqttReconnects()}</td>
 *       <td>{@link CountingTransport}</td></tr>
 *   <tr><td>{@code gantry_mqtt_messages_received_total}</td><td>{@link #messagesReceived()}</td>
 *       <td>{@link CountingTransport}</td></tr>
 *   <tr><td>{@code gantry_mqtt_messages_refused_total}</td><td>{@link #messagesRefused()}</td>
 *       <td>{@link CountingTransport}</td></tr>
 *   <tr><td>{@code gantry_mqtt_messages_published_total}</td><td>{@link #messagesPublished()}</td>
 *       <td>{@link CountingTransport}</td></tr>
 *   <tr><td>{@code gantry_mqtt_publish_failures_total}</td><td>{@link #publishFailures()}</td>
 *       <td>{@link CountingTransport}</td></tr>
 *   <tr><td>{@code gantry_twin_resyncs_total}</td><td>{@link #twinResyncs()}</td>
 *       <td>the twin, on each whole re-publish</td></tr>
 *   <tr><td>{@code gantry_update_operations_total{result}}</td><td>{@link #updateOperations(String)}</td>
 *       <td>the update agent, once per finished operation, with its final status</td></tr>
 *   <tr><td>{@code gantry_containers_refused_total{rule}}</td><td>{@link #containersRefused(String)}</td>
 *       <td>the admission check, once per container refused by the policy or trust rules</td></tr>
 *   <tr><td>{@code gantry_unmanaged_containers_total{action}}</td><td>{@link #unmanagedContainers(String)}</td>
 *       <td>the trust guard, once per container not created by Gantry whose image is not allowed</td></tr>
 *   <tr><td>{@code gantry_engine_available}</td><td>{@link #engineAvailable()}</td>
 *       <td>{@link #engineListener()}, and the root after its first successful engine call</td></tr>
 * </table>
 */
public final class AgentMetrics {

    private static final Pattern RESULT = Pattern.compile("[a-z][a-z0-9_]*");
    private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

    private final Clock clock;
    private final Instant started;
    private final Gauge mqttConnected = new Gauge();
    private final Counter mqttReconnects = new Counter();
    private final Counter messagesReceived = new Counter();
    private final Counter messagesRefused = new Counter();
    private final Counter messagesPublished = new Counter();
    private final Counter publishFailures = new Counter();
    private final Counter twinResyncs = new Counter();
    private final Map<String, Counter> updateOperations = new ConcurrentHashMap<>();
    private final Gauge engineAvailable = new Gauge();
    private final Map<String, Counter> containersRefused = new ConcurrentHashMap<>();
    private final Map<String, Counter> unmanagedContainers = new ConcurrentHashMap<>();

    public AgentMetrics(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.started = clock.instant();
    }

    /** Time since this registry was made, which is at Gantry's start. */
    public Duration uptime() {
        return Duration.between(started, clock.instant());
    }

    /** 1 while the MQTT connection is up. */
    public Gauge mqttConnected() {
        return mqttConnected;
    }

    /** Connections made after the first one. */
    public Counter mqttReconnects() {
        return mqttReconnects;
    }

    /** Messages delivered to Gantry's subscriptions. */
    public Counter messagesReceived() {
        return messagesReceived;
    }

    /** Inbound messages refused unread because they were over {@code connection.max_payload_size}. */
    public Counter messagesRefused() {
        return messagesRefused;
    }

    /** Messages the broker acknowledged. */
    public Counter messagesPublished() {
        return messagesPublished;
    }

    /** Publishes that failed (no connection, no acknowledgement in time). */
    public Counter publishFailures() {
        return publishFailures;
    }

    /** Whole-twin publishes after the first one (reconnects, changed device or policy, engine resyncs). */
    public Counter twinResyncs() {
        return twinResyncs;
    }

    /**
     * Finished update operations with this result: the final feedback status in lower case, e.g. {@code completed},
     * {@code incomplete}, {@code identification_failed}.
     */
    public Counter updateOperations(String result) {
        String key = result.toLowerCase(Locale.ROOT);
        if (!RESULT.matcher(key).matches()) {
            throw new IllegalArgumentException("an update result is a status name, not \"" + result + "\"");
        }
        return updateOperations.computeIfAbsent(key, k -> new Counter());
    }

    /** The update operations counted so far, by result, sorted. */
    public Map<String, Long> updateOperationCounts() {
        Map<String, Long> out = new TreeMap<>();
        updateOperations.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /** Containers refused by this rule of the configuration, its JSON path: {@code policy.privileged}. */
    public Counter containersRefused(String rule) {
        if (!RULE.matcher(rule).matches()) {
            throw new IllegalArgumentException("a rule is a configuration key's path, not \"" + rule + "\"");
        }
        return containersRefused.computeIfAbsent(rule, k -> new Counter());
    }

    /** The refused containers counted so far, by rule, sorted. */
    public Map<String, Long> containersRefusedCounts() {
        Map<String, Long> out = new TreeMap<>();
        containersRefused.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /** Containers not created by Gantry whose image is not allowed, by what was done: {@code stopped}, {@code reported}. */
    public Counter unmanagedContainers(String action) {
        if (!RESULT.matcher(action).matches()) {
            throw new IllegalArgumentException("an action is a lower-case word, not \"" + action + "\"");
        }
        return unmanagedContainers.computeIfAbsent(action, k -> new Counter());
    }

    /** The unmanaged containers counted so far, by action, sorted. */
    public Map<String, Long> unmanagedContainerCounts() {
        Map<String, Long> out = new TreeMap<>();
        unmanagedContainers.forEach((k, v) -> out.put(k, v.value()));
        return out;
    }

    /** 1 while the engine answers. */
    public Gauge engineAvailable() {
        return engineAvailable;
    }

    /** An engine listener that keeps {@link #engineAvailable()} current; subscribe it to the engine. */
    public EngineListener engineListener() {
        return new EngineListener() {
            @Override
            public void onEvent(io.gantry.core.container.ContainerEvent event) {
                engineAvailable.set(true); // an event proves the engine is there
            }

            @Override
            public void onResync() {
                engineAvailable.set(true);
            }

            @Override
            public void onUnavailable(String reason) {
                engineAvailable.set(false);
            }
        };
    }
}
