package io.gantry.app.dashboard;

import io.gantry.core.time.TimeSync;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.app.status.LiveStatus;
import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigWriter;
import io.gantry.metrics.request.MetricsRequest;
import io.gantry.config.Durations;
import io.gantry.core.policy.Refusal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's side of the dashboard as JSON: the twin (connected, thing id, last full publication), whether the
 * system clock is synchronised (the "time good" signal, docs/operations.md), the update
 * agent's operations, the metrics request in force, the recent refusals of the policy and trust rules (docs/trust.md),
 * and the configuration in force with every secret masked ({@link ConfigWriter#tree}).
 */
final class StatusView {

    /** Where the agent's live parts are read; each supplier returns at once. */
    record Sources(Supplier<LiveStatus> twin, Supplier<TimeSync> clock, Supplier<AgentConfig> config,
                   Supplier<Optional<MetricsRequest>> metricsRequest, UpdateFeed updates,
                   Supplier<List<Refusal>> refusals) {
        Sources {
            Objects.requireNonNull(refusals, "refusals");
            Objects.requireNonNull(twin, "twin");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(metricsRequest, "metricsRequest");
            Objects.requireNonNull(updates, "updates");
        }

        /** Sources without refusals to show. */
        Sources(Supplier<LiveStatus> twin, Supplier<TimeSync> clock, Supplier<AgentConfig> config,
                Supplier<Optional<MetricsRequest>> metricsRequest, UpdateFeed updates) {
            this(twin, clock, config, metricsRequest, updates, List::of);
        }
    }

    private final Sources sources;

    StatusView(Sources sources) {
        this.sources = Objects.requireNonNull(sources, "sources");
    }

    ObjectNode json() {
        ObjectNode node = ContainerView.JSON.createObjectNode();
        LiveStatus twin = sources.twin().get();
        node.putObject("twin").put("connected", twin.connected()).put("thing_id", twin.thingId().orElse(null))
                .put("last_full_publication", twin.lastFullPublication().map(Object::toString).orElse(null));
        TimeSync clock = sources.clock().get();
        node.putObject("clock").put("state", clock.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("description", clock.describe());
        AgentConfig config = sources.config().get();
        node.put("update_agent", config.updateAgent().enable());
        node.set("updates", sources.updates().json());
        Optional<MetricsRequest> request = sources.metricsRequest().get();
        ObjectNode metrics = node.putObject("metrics_request");
        if (request.isPresent() && !request.get().frequency().isZero()) {
            metrics.put("frequency", Durations.format(request.get().frequency()));
            metrics.put("filters", request.get().filters().toString());
        } else {
            metrics.put("frequency", (String) null);
        }
        ArrayNode refusals = node.putArray("refusals");
        for (Refusal r : sources.refusals().get()) {
            ObjectNode o = refusals.addObject().put("time", r.time().toString()).put("path", r.path())
                    .put("rule", r.rule()).put("image", r.image()).put("subject", r.subject())
                    .put("action", r.action()).put("message", r.message());
            o.put("digest", r.digest().orElse(null));
        }
        node.set("config", ConfigWriter.tree(config));
        return node;
    }
}
