package io.gantry.update.operation;

import io.gantry.update.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operation leaves behind as it goes: its feedback, through the sink, and its journal, written before every
 * engine change so that a restart can finish or roll back what the agent did not live to end.
 *
 * <p>Contract: used on the owner thread only; {@link #intent} throws when the journal cannot be written, so that
 * no engine change is made unjournaled.
 */
final class Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final Journal journal;
    private final FeedbackSink sink;

    Progress(Journal journal, FeedbackSink sink) {
        this.journal = journal;
        this.sink = sink;
    }

    /** Journals that the engine is about to be asked to {@code what} for {@code a}. */
    void intent(Operation op, Action a, String what) {
        a.begin(what);
        journal.write(op.toJournal());
        LOG.debug("Operation {}: {}", op.id(), what);
    }

    /** Journals the operation as it is now, logging (not throwing) a failure. */
    void journalQuietly(Operation op) {
        try {
            journal.write(op.toJournal());
        } catch (RuntimeException e) {
            LOG.error("Cannot journal update operation {}: {}", op.id(), e.getMessage());
        }
    }

    void publish(Operation op, Stage status, String message, BaselineState baseline) {
        sink.feedback(op.activityId(), op.report(status, message, baseline.label()));
    }

    /**
     * Reports the operation's end and deletes its journal, unless a rollback or the removal of an old container must
     * be retried at the next start.
     */
    void end(Operation op, boolean completed) {
        Stage status = completed ? Stage.COMPLETED : Stage.INCOMPLETE;
        LOG.info("Update operation {} (activity {}) ended {}{}", op.id(), op.activityId(), status,
                completed ? "" : ": " + op.outcome());
        sink.feedback(op.activityId(), op.report(status, completed ? "" : op.outcome(), ""));
        if (op.keepJournal()) {
            LOG.warn("The engine could not be reached to finish the rollback or the cleanup of operation {}; the"
                    + " journal is kept and they are retried", op.id());
        } else {
            try {
                journal.delete();
            } catch (RuntimeException e) {
                LOG.error("Cannot delete the update journal: {}", e.getMessage());
            }
        }
        sink.ended(op.activityId());
    }

    static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
