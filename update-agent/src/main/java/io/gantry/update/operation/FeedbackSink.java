package io.gantry.update.operation;

import io.gantry.update.protocol.WireFeedback;

/**
 * Where an operation's feedback goes. Threading: called on the update agent's owner thread, in the order the
 * feedback must be published; implementations hand off and return.
 */
public interface FeedbackSink {

    void feedback(String activityId, WireFeedback feedback);

    /** The operation has ended (or was identified with nothing to do); the current state should be reported. */
    void ended(String activityId);
}
