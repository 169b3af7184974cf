package io.gantry.core.container;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link ContainerEngine} that passes every call to another one; decorators extend it and override the calls they
 * change ({@link io.gantry.core.policy.AdmittingEngine} checks creates; tests add a label, block a call, count calls).
 */
public abstract class ForwardingEngine implements ContainerEngine {

    private final ContainerEngine delegate;

    protected ForwardingEngine(ContainerEngine delegate) {
        this.delegate = delegate;
    }

    protected final ContainerEngine delegate() {
        return delegate;
    }

    @Override
    public EngineInfo info() {
        return delegate.info();
    }

    @Override
    public List<Container> list() {
        return delegate.list();
    }

    @Override
    public Optional<Container> inspect(ContainerId id) {
        return delegate.inspect(id);
    }

    @Override
    public Optional<Container> find(String nameOrId) {
        return delegate.find(nameOrId);
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        return delegate.create(spec, gantryLabels);
    }

    @Override
    public void start(ContainerId id) {
        delegate.start(id);
    }

    @Override
    public void stop(ContainerId id, StopOptions options) {
        delegate.stop(id, options);
    }

    @Override
    public void pause(ContainerId id) {
        delegate.pause(id);
    }

    @Override
    public void resume(ContainerId id) {
        delegate.resume(id);
    }

    @Override
    public void rename(ContainerId id, ContainerName newName) {
        delegate.rename(id, newName);
    }

    @Override
    public void update(ContainerId id, ContainerUpdate update) {
        delegate.update(id, update);
    }

    @Override
    public void remove(ContainerId id, boolean force) {
        delegate.remove(id, force);
    }

    @Override
    public void logs(ContainerId id, LogOptions options, LogSink sink) {
        delegate.logs(id, options, sink);
    }

    @Override
    public ContainerStats stats(ContainerId id) {
        return delegate.stats(id);
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        return delegate.subscribe(listener);
    }

    @Override
    public boolean imagePresent(ImageRef image) {
        return delegate.imagePresent(image);
    }

    @Override
    public Optional<io.gantry.core.image.ImageFacts> imageFacts(ImageRef image) {
        return delegate.imageFacts(image);
    }

    @Override
    public void admit(ContainerSpec spec) {
        delegate.admit(spec);
    }

    @Override
    public void pull(ImageRef image, Consumer<PullEvent> progress) {
        delegate.pull(image, progress);
    }
}
