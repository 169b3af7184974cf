package io.gantry.update;

import static io.gantry.update.Messages.component;
import static io.gantry.update.Messages.desired;
import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ImageRef;
import io.gantry.update.plan.Ownership;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Desired states leave containers deployed from descriptor files alone (docs/descriptors.md, "Who owns a container"):
 * they are neither removed when a desired state omits them nor changed when it names them.
 */
class DescriptorOwnershipTest extends AgentTest {

    private ContainerId descriptorContainer;

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir, Harness.auto());
        h.fake.withImage("registry.local/agent:1").withRegistryImage("registry.local/agent:2");
        descriptorContainer = h.fake.create(ContainerSpec.builder(ImageRef.parse("registry.local/agent:1"))
                .name(new ContainerName("connector")).build(), Map.of(Ownership.DESCRIPTOR_LABEL, "connector.json"));
        h.fake.start(descriptorContainer);
    }

    @Test
    void desiredStateOmittingADescriptorContainer_leavesIt_whileRemovingItsOwnContainers() {
        ContainerId own = h.existing("old", "registry.local/old:1", io.gantry.core.container.RestartPolicy.ALWAYS);
        h.start();
        h.send(desired("act-1"));

        Messages.Feedback end = h.awaitEnd("act-1");
        assertThat(end.status()).isEqualTo("COMPLETED");
        assertThat(h.fake.inspect(own)).isEmpty();
        assertThat(h.fake.inspect(descriptorContainer).map(Container::status))
                .contains(io.gantry.core.container.ContainerStatus.RUNNING);
        assertThat(h.fake.operations()).doesNotContain("stop connector", "remove connector");
    }

    @Test
    void desiredStateNamingADescriptorContainer_warnsAndChangesNothing() {
        h.start();
        h.send(desired("act-2", component("connector", "2", "image", "registry.local/agent:2")));

        Messages.Feedback end = h.awaitEnd("act-2");
        assertThat(end.status()).isEqualTo("COMPLETED");
        assertThat(h.feedback("act-2").get(1).payload().message()).isEqualTo("container connector is deployed from"
                + " descriptor file connector.json and is not changed by desired states");
        assertThat(h.container("connector").id()).isEqualTo(descriptorContainer);
        assertThat(h.container("connector").image()).isEqualTo(ImageRef.parse("registry.local/agent:1"));
    }
}
