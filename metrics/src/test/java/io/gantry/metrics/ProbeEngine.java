package io.gantry.metrics;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link ContainerEngine} around another (the fake one) that counts statistics calls and can make them hang for
 * chosen containers, like an engine that is slow for one container.
 */
public final class ProbeEngine implements ContainerEngine {

    private final ContainerEngine engine;
    private final AtomicInteger statsCalls = new AtomicInteger();
    private final Map<ContainerId, AtomicInteger> statsCallsById = new ConcurrentHashMap<>();
    private final AtomicInteger listCalls = new AtomicInteger();
    private final Set<ContainerId> hanging = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);

    public ProbeEngine(ContainerEngine engine) {
        this.engine = engine;
    }

    /** Statistics calls for this container block until {@link #releaseAll()}. */
    public void hang(ContainerId id) {
        hanging.add(id);
    }

    public void releaseAll() {
        release.countDown();
    }

    public int statsCalls() {
        return statsCalls.get();
    }

    public int statsCalls(ContainerId id) {
        AtomicInteger n = statsCallsById.get(id);
        return n == null ? 0 : n.get();
    }

    public int listCalls() {
        return listCalls.get();
    }

    @Override
    public ContainerStats stats(ContainerId id) {
        statsCalls.incrementAndGet();
        statsCallsById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (hanging.contains(id)) {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return engine.stats(id);
    }

    @Override
    public List<Container> list() {
        listCalls.incrementAndGet();
        return engine.list();
    }

    @Override
    public EngineInfo info() {
        return engine.info();
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
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        return engine.create(spec, gantryLabels);
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
}
