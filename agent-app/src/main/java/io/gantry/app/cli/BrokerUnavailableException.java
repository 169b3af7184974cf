package io.gantry.app.cli;

/** The MQTT broker that the update agent listens on cannot be reached or does not take a message. */
final class BrokerUnavailableException extends RuntimeException {

    BrokerUnavailableException(String message) {
        super(message);
    }
}
