package io.gantry.ditto;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link ContainerEngine} in front of another that makes {@code stop} wait until {@link #release()} (a stop with a
 * long timeout), records on which thread each changing call ran and when it returned, and can lose events
 * ({@link #loseEvents}), as a broken event stream would.
 */
final class BlockingEngine implements ContainerEngine {

    private final ContainerEngine delegate;
    private final List<String> timeline;
    private final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch stopEntered = new CountDownLatch(1);
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile boolean loseEvents;

    BlockingEngine(ContainerEngine delegate, List<String> timeline) {
        this.delegate = delegate;
        this.timeline = timeline;
    }

    void release() {
        release.countDown();
    }

    private void done(String call) {
        threads.add(Thread.currentThread().getName());
        timeline.add("ENGINE " + call + " returned");
    }

    @Override
    public void stop(ContainerId id, StopOptions options) {
        stopEntered.countDown();
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        delegate.stop(id, options);
        done("stop");
    }

    @Override
    public void start(ContainerId id) {
        delegate.start(id);
        done("start");
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
        return delegate.subscribe(new EngineListener() {
            @Override
            public void onEvent(io.gantry.core.container.ContainerEvent event) {
                if (!loseEvents) {
                    listener.onEvent(event);
                }
            }

            @Override
            public void onResync() {
                listener.onResync();
            }

            @Override
            public void onUnavailable(String reason) {
                listener.onUnavailable(reason);
            }
        });
    }

    @Override
    public boolean imagePresent(ImageRef image) {
        return delegate.imagePresent(image);
    }

    @Override
    public void pull(ImageRef image, Consumer<PullEvent> progress) {
        delegate.pull(image, progress);
    }
}
