package io.gantry.update.operation;

import java.util.Objects;

/**
 * How an operation names its components and baselines within a domain (reference/kanto-cua.md §2.1, §4.1):
 * component ids are {@code <domain>:<name>}, a container no baseline claims has a baseline of its own under that
 * id, and every destroy action is in {@code <domain>:remove-components}.
 *
 * <p>Contract: the domain is not blank.
 */
public record ComponentNames(String domain) {

    public ComponentNames {
        Objects.requireNonNull(domain, "domain");
        if (domain.isBlank()) {
            throw new IllegalArgumentException("the update agent domain is empty");
        }
    }

    public String componentId(String containerName) {
        return domain + ":" + containerName;
    }

    /** The baseline Kanto gives a desired container that no baseline claims (§2.1 rule 4). */
    public String implicitBaseline(String containerName) {
        return componentId(containerName);
    }

    /** The baseline that holds every destroy action (§2.1 rule 4). */
    public String removeBaseline() {
        return domain + ":remove-components";
    }
}
