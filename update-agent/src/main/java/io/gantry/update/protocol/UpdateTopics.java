package io.gantry.update.protocol;

import io.gantry.update.operation.ComponentNames;
import java.util.Objects;

/**
 * The MQTT topics and wire identifiers of one update-agent domain.
 *
 * <p>Kanto's rule (reference/kanto-cua.md §1.1): the topic prefix is the domain with every {@code -} removed, followed
 * by {@code update} unless it already ends so; {@code containers} gives {@code containersupdate}, {@code my-ctrs}
 * gives {@code myctrsupdate}. Component ids are {@code <domain>:<name>} and the agent's inventory node is
 * {@code <domain>-update-agent} (§4.1, §7.52).
 */
public record UpdateTopics(String domain, String prefix) {

    public UpdateTopics {
        Objects.requireNonNull(prefix, "prefix");
        new ComponentNames(domain);
    }

    /** How the domain's components and baselines are named. */
    public ComponentNames names() {
        return new ComponentNames(domain);
    }

    public static UpdateTopics of(String domain) {
        String prefix = domain.replace("-", "");
        return new UpdateTopics(domain, prefix.endsWith("update") ? prefix : prefix + "update");
    }

    public String desiredState() {
        return prefix + "/desiredstate";
    }

    public String command() {
        return prefix + "/desiredstate/command";
    }

    public String currentStateGet() {
        return prefix + "/currentstate/get";
    }

    public String feedback() {
        return prefix + "/desiredstatefeedback";
    }

    public String currentState() {
        return prefix + "/currentstate";
    }

    public String agentNodeId() {
        return domain + "-update-agent";
    }

    public String componentId(String containerName) {
        return names().componentId(containerName);
    }

    /** The baseline Kanto gives a desired container that no baseline claims (§2.1 rule 4). */
    public String implicitBaseline(String containerName) {
        return names().implicitBaseline(containerName);
    }

    /** The baseline that holds every destroy action (§2.1 rule 4). */
    public String removeBaseline() {
        return names().removeBaseline();
    }
}
