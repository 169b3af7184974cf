package io.gantry.core.command;

/**
 * A container command was refused or failed. The message is the text Kanto sends for the same case
 * (reference/kanto-things.md §3.2), fit to be shown to whoever sent the command.
 */
public final class CommandFailedException extends RuntimeException {

    public CommandFailedException(String message) {
        super(message);
    }

    public CommandFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
