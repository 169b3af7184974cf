package io.gantry.core.twin;

import io.gantry.core.container.ContainerId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link TwinSink} that records every call as a line ({@code "changed <id> [STATE] RUNNING"}) and its thread. */
final class RecordingSink implements TwinSink {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<TwinContainer> lastReplaceAll = new CopyOnWriteArrayList<>();
    volatile TwinContainer lastChanged;
    volatile Optional<TwinContainer> lastRemoved = Optional.empty();
    volatile RuntimeException failWith;

    @Override
    public void changed(TwinContainer container, Set<Change> what) {
        record("changed " + tail(container.id()) + " " + what + " " + container.status());
        lastChanged = container;
    }

    @Override
    public void removed(ContainerId id, Optional<TwinContainer> last) {
        record("removed " + tail(id));
        lastRemoved = last;
    }

    @Override
    public void replaceAll(List<TwinContainer> containers) {
        record("replaceAll " + containers.stream().map(c -> tail(c.id()) + "=" + c.status()).toList());
        lastReplaceAll.clear();
        lastReplaceAll.addAll(containers);
    }

    /** The fake engine's ids are zero-padded counters, so their end tells them apart. */
    static String tail(ContainerId id) {
        return id.value().substring(id.value().length() - 4);
    }

    private void record(String call) {
        calls.add(call);
        threads.add(Thread.currentThread().getName());
        RuntimeException failure = failWith;
        if (failure != null) {
            throw failure;
        }
    }
}
