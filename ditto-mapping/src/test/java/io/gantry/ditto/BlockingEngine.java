package io.gantry.ditto;

import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ForwardingEngine;
import io.gantry.core.container.EngineListener;
import io.gantry.core.container.StopOptions;
import io.gantry.core.container.Subscription;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ContainerEngine} in front of another that makes {@code stop} wait until {@link #release()} (a stop with a
 * long timeout), records on which thread each changing call ran and when it returned, and can lose events
 * ({@link #loseEvents}), as a broken event stream would.
 */
final class BlockingEngine extends ForwardingEngine {

    private final List<String> timeline;
    private final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch stopEntered = new CountDownLatch(1);
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile boolean loseEvents;

    BlockingEngine(ContainerEngine delegate, List<String> timeline) {
        super(delegate);
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
        delegate().stop(id, options);
        done("stop");
    }

    @Override
    public void start(ContainerId id) {
        delegate().start(id);
        done("start");
    }

    @Override
    public Subscription subscribe(EngineListener listener) {
        return delegate().subscribe(new EngineListener() {
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
}
