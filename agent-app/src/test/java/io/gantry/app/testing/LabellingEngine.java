package io.gantry.app.testing;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.ContainerUpdate;
import io.gantry.core.container.EngineInfo;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.LogOptions;
import io.gantry.core.container.LogSink;
import io.gantry.core.container.PullEvent;
import io.gantry.core.container.StopOptions;
import io.gantry.core.container.Subscription;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real engine that adds a test's {@code io.gantry.test} label to every container created through it, so that a
 * test can drive the CLI (which cannot set Gantry's labels) and still clean up exactly what it made.
 */
public final class LabellingEngine implements ContainerEngine, AutoCloseable {

    private final ContainerEngine engine;
    private final Map<String, String> labels;

    public LabellingEngine(ContainerEngine engine, Map<String, String> labels) {
        this.engine = engine;
        this.labels = Map.copyOf(labels);
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        Map<String, String> all = new HashMap<>(gantryLabels);
        all.putAll(labels);
        return engine.create(spec, all);
    }

    @Override
    public EngineInfo info() {
        return engine.info();
    }

    @Override
    public List<Container> list() {
        return engine.list();
    }

    @Override
    public Optional<Container> inspect(ContainerId id) {
        return engine.inspect(id);
    }

    @Override
    public Optional<Container> find(String nameOrId) {
        return engine.find(nameOrId);
    }

    @Override
    public void start(ContainerId id) {
        engine.start(id);
    }

    @Override
    public void stop(ContainerId id, StopOptions options) {
        engine.stop(id, options);
    }

    @Override
    public void pause(ContainerId id) {
        engine.pause(id);
    }

    @Override
    public void resume(ContainerId id) {
        engine.resume(id);
    }

    @Override
    public void rename(ContainerId id, ContainerName newName) {
        engine.rename(id, newName);
    }

    @Override
    public void update(ContainerId id, ContainerUpdate update) {
        engine.update(id, update);
    }

    @Override
    public void remove(ContainerId id, boolean force) {
        engine.remove(id, force);
    }

    @Override
    public void logs(ContainerId id, LogOptions options, LogSink sink) {
        engine.logs(id, options, sink);
    }

    @Override
    public ContainerStats stats(ContainerId id) {
        return engine.stats(id);
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        return engine.subscribe(listener);
    }

    @Override
    public boolean imagePresent(ImageRef image) {
        return engine.imagePresent(image);
    }

    @Override
    public void pull(ImageRef image, Consumer<PullEvent> progress) {
        engine.pull(image, progress);
    }

    @Override
    public void close() {
        if (engine instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the engine failed", e);
            }
        }
    }
}
