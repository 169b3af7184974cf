package io.gantry.update.protocol;

import java.util.Optional;

/**
 * An inbound update-protocol message could not be read. {@code activityId} is present when the envelope's activity id
 * could still be read, so that the sender can be told (Kanto stays silent, §1.2).
 */
public final class MalformedMessageException extends RuntimeException {

    private final transient Optional<String> activityId;

    public MalformedMessageException(String message, Optional<String> activityId, Throwable cause) {
        super(message, cause);
        this.activityId = activityId;
    }

    public Optional<String> activityId() {
        return activityId;
    }
}
