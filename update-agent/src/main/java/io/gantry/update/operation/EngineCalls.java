package io.gantry.update.operation;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an operation's engine calls several at a time: creates, starts, renames and updates on a small pool (they
 * keep the engine busy), stops and removals, which mostly wait for a container to end, on a larger one.
 *
 * <p>Contract: an action's {@link Call} is journaled on the owner thread before it is handed to its pool, and its
 * result is recorded on the owner thread; the calls themselves touch no operation state. A failure, a
 * {@link RuntimeException} or an {@link Error}, is rethrown on the owner thread as it was thrown.
 */
final class EngineCalls {

    private static final Logger LOG = LoggerFactory.getLogger(EngineCalls.class);

    /**
     * The engine work of an action: journaled as {@code what} before it is made, run on {@code on}, and its result
     * recorded ({@code record}, which notes the effects) on the owner thread.
     */
    record Call<T>(String what, Executor on, Supplier<T> call, Consumer<T> record) {
    }

    /** What an action of a phase asks of the engine (nothing when its work is done) and its message. */
    record Work(Call<?> call, String message) {
        static Work done(String message) {
            return new Work(null, message);
        }
    }

    private final Executor calls;
    private final Executor waits;
    private final Progress progress;

    EngineCalls(Executor calls, Executor waits, Progress progress) {
        this.calls = calls;
        this.waits = waits;
        this.progress = progress;
    }

    /** The pool for creates, starts, renames and updates. */
    Executor calls() {
        return calls;
    }

    /** The pool for stops and removals. */
    Executor waits() {
        return waits;
    }

    /** Starts {@code task} on the wait pool. */
    <T> CompletableFuture<T> onWaits(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, waits);
    }

    /** Prepares {@code a}'s work on the owner thread ({@code prepare}) and hands its call, journaled, to its pool. */
    Pending submit(Operation op, Action a, Function<Action, Work> prepare) {
        try {
            Work work = prepare.apply(a);
            if (work.call() == null) {
                return new Pending(a, work, CompletableFuture.completedFuture(null), null);
            }
            progress.intent(op, a, work.call().what());
            return new Pending(a, work, CompletableFuture.supplyAsync(work.call().call(), work.call().on()), null);
        } catch (RuntimeException e) {
            return new Pending(a, null, CompletableFuture.completedFuture(null), e);
        }
    }

    /** The result of a call made on a pool; its failure rethrown as it was thrown. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause.toString(), cause);
        }
    }

    /** An action's call under way (or its preparation's failure), and its outcome once recorded. */
    static final class Pending {
        private final Action action;
        private final Work work;
        private final CompletableFuture<?> future;
        private final RuntimeException prepareFailure;
        private boolean recorded;

        private Pending(Action action, Work work, CompletableFuture<?> future, RuntimeException prepareFailure) {
            this.action = action;
            this.work = work;
            this.future = future;
            this.prepareFailure = prepareFailure;
        }

        Action action() {
            return action;
        }

        boolean failed() {
            return prepareFailure != null || future.isCompletedExceptionally();
        }

        /** The interruption that stopped the preparation, if that is what it was. */
        OperationInterrupted interrupted() {
            return prepareFailure instanceof OperationInterrupted interrupted ? interrupted : null;
        }

        /** Waits until the call has ended, whatever it did. */
        void await() {
            future.exceptionally(e -> null).join();
        }

        /** Waits for the call, records its effect on the owner thread and returns the message; rethrows a failure. */
        @SuppressWarnings("unchecked")
        String finish() {
            if (prepareFailure != null) {
                throw prepareFailure;
            }
            Object result = join(future);
            if (work.call() != null && !recorded) {
                recorded = true;
                ((Consumer<Object>) work.call().record()).accept(result);
            }
            return work.message();
        }

        /** Waits for the call whatever it does and records its effect if it succeeded (before a rollback). */
        void drain() {
            if (prepareFailure != null || recorded) {
                return;
            }
            try {
                finish();
            } catch (RuntimeException | Error e) {
                LOG.debug("Engine call for {} failed while the phase was failing: {}", action.name(), e.toString());
            }
        }
    }
}
