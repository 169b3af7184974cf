package io.gantry.update.operation;

/**
 * Where an operation's reports go: the front that submitted it turns them into its own messages (the MQTT front into
 * Kanto's feedback). Threading: called on the update thread, in the order the reports must be published;
 * implementations hand off and return.
 */
public interface FeedbackSink {

    void feedback(String activityId, Report report);

    /** The operation has ended (or was identified with nothing to do); the current state should be reported. */
    void ended(String activityId);
}
