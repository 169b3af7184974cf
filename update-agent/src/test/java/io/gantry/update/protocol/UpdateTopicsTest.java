package io.gantry.update.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kanto's domain-to-topic rule (reference/kanto-cua.md §1.1, §7.52). */
class UpdateTopicsTest {

    @ParameterizedTest
    @CsvSource({
        "containers, containersupdate",
        "my-ctrs, myctrsupdate",
        "containersupdate, containersupdate",
        "self-update, selfupdate",
        "a-b-c, abcupdate"})
    void of_domain_givesKantosPrefix(String domain, String prefix) {
        UpdateTopics topics = UpdateTopics.of(domain);
        assertThat(topics.prefix()).isEqualTo(prefix);
        assertThat(topics.desiredState()).isEqualTo(prefix + "/desiredstate");
        assertThat(topics.command()).isEqualTo(prefix + "/desiredstate/command");
        assertThat(topics.currentStateGet()).isEqualTo(prefix + "/currentstate/get");
        assertThat(topics.feedback()).isEqualTo(prefix + "/desiredstatefeedback");
        assertThat(topics.currentState()).isEqualTo(prefix + "/currentstate");
        assertThat(topics.agentNodeId()).isEqualTo(domain + "-update-agent");
        assertThat(topics.componentId("web")).isEqualTo(domain + ":web");
        assertThat(topics.removeBaseline()).isEqualTo(domain + ":remove-components");
    }
}
