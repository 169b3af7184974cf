package io.gantry.core.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named executors whose tasks are guarded: an exception escaping a task is logged once, with the thread's name, and
 * the executor carries on. Every entry point from outside (MQTT callback, engine callback, file watcher, timer)
 * runs on one of these, so no input can kill a Gantry thread.
 */
public final class Threads {

    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);

    private Threads() {
    }

    /** One thread named {@code name}: the owner of some piece of state, which therefore needs no locks. */
    public static ExecutorService single(String name) {
        return new GuardedPool(1, 1, factory(name, false));
    }

    /** Up to {@code size} threads named {@code name-1}, {@code name-2}, … for blocking work. */
    public static ExecutorService pool(String name, int size) {
        GuardedPool pool = new GuardedPool(size, size, factory(name, true));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** One timer thread named {@code name}; its tasks are guarded too. */
    public static ScheduledExecutorService scheduled(String name) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, factory(name, false)) {
            @Override
            public void execute(Runnable command) {
                super.execute(guarded(command));
            }

            @Override
            public java.util.concurrent.ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay,
                                                                                 long period, TimeUnit unit) {
                return super.scheduleAtFixedRate(guarded(command), initialDelay, period, unit);
            }

            @Override
            public java.util.concurrent.ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay,
                                                                                    long delay, TimeUnit unit) {
                return super.scheduleWithFixedDelay(guarded(command), initialDelay, delay, unit);
            }

            @Override
            public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
                return super.schedule(guarded(command), delay, unit);
            }
        };
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Wraps a task so that a {@link RuntimeException} or {@link Error} it throws is logged instead of propagated. */
    public static Runnable guarded(Runnable task) {
        return () -> runGuarded("Task", task);
    }

    /**
     * Runs {@code call} on the calling thread, logging a {@link RuntimeException} or {@link Error} it throws instead of
     * propagating it: the guard of an entry point from outside (an MQTT message, a listener) whose expected failures
     * the call answers itself. {@code what} names it in the log line ({@code "A desired state"}).
     */
    public static void runGuarded(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            // ERROR: a call failing this way is a defect in Gantry, not bad input (inputs are validated first).
            LOG.error("{} failed on {}: {}", what, Thread.currentThread().getName(), e.toString(), e);
        }
    }

    /** Shuts an executor down and waits up to {@code seconds} for running tasks. */
    public static void shutdown(ExecutorService executor, long seconds) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(seconds, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory factory(String name, boolean numbered) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, numbered ? name + "-" + count.incrementAndGet() : name);
            t.setDaemon(true);
            return t;
        };
    }

    private static final class GuardedPool extends ThreadPoolExecutor {
        GuardedPool(int core, int max, ThreadFactory factory) {
            super(core, max, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
        }

        @Override
        public void execute(Runnable command) {
            super.execute(guarded(command));
        }
    }
}
