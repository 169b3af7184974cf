package io.gantry.app.testing;

import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ForwardingEngine;
import java.util.HashMap;
import java.util.Map;

/**
 * A real engine that adds a test's {@code io.gantry.test} label to every container created through it, so that a
 * test can drive the CLI (which cannot set Gantry's labels) and still clean up exactly what it made.
 */
public final class LabellingEngine extends ForwardingEngine implements AutoCloseable {

    private final Map<String, String> labels;

    public LabellingEngine(ContainerEngine engine, Map<String, String> labels) {
        super(engine);
        this.labels = Map.copyOf(labels);
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        Map<String, String> all = new HashMap<>(gantryLabels);
        all.putAll(labels);
        return delegate().create(spec, all);
    }

    @Override
    public void close() {
        if (delegate() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the engine failed", e);
            }
        }
    }
}
