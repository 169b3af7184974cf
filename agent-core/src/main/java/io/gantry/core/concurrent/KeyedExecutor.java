package io.gantry.core.concurrent;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs tasks with the same key one after another, in submission order, and tasks with different keys in parallel
 * on a shared pool. Commands for one container therefore keep their order, while a slow command (a pull, a stop
 * with a long timeout) never holds up a command for another container.
 */
public final class KeyedExecutor {

    private final Executor pool;
    private final Map<Object, Queue<Runnable>> pending = new HashMap<>();

    public KeyedExecutor(Executor pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    public void execute(Object key, Runnable task) {
        Objects.requireNonNull(key, "key");
        Runnable guarded = Threads.guarded(task);
        synchronized (pending) {
            Queue<Runnable> queue = pending.get(key);
            if (queue != null) {
                queue.add(guarded);
                return;
            }
            pending.put(key, new ArrayDeque<>());
        }
        pool.execute(() -> drain(key, guarded));
    }

    private void drain(Object key, Runnable first) {
        Runnable next = first;
        while (next != null) {
            next.run();
            synchronized (pending) {
                next = pending.get(key).poll();
                if (next == null) {
                    pending.remove(key);
                }
            }
        }
    }
}
