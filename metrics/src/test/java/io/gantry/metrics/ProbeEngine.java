package io.gantry.metrics;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerStats;
import io.gantry.core.container.ForwardingEngine;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ContainerEngine} around another (the fake one) that counts statistics and list calls and can make
 * statistics calls hang for chosen containers, like an engine that is slow for one container.
 */
public final class ProbeEngine extends ForwardingEngine {

    private final AtomicInteger statsCalls = new AtomicInteger();
    private final Map<ContainerId, AtomicInteger> statsCallsById = new ConcurrentHashMap<>();
    private final AtomicInteger listCalls = new AtomicInteger();
    private final Set<ContainerId> hanging = ConcurrentHashMap.newKeySet();
    private final CountDownLatch release = new CountDownLatch(1);

    public ProbeEngine(ContainerEngine engine) {
        super(engine);
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
        return super.stats(id);
    }

    @Override
    public List<Container> list() {
        listCalls.incrementAndGet();
        return super.list();
    }
}
