package io.gantry.app.cli;

/** The configuration file cannot be read or holds a bad value; the message names the file and the key. */
public final class ConfigFileException extends RuntimeException {

    public ConfigFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
