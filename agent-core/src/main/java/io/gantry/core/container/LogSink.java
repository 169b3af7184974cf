package io.gantry.core.container;

/** Receives a container's output as the engine delivers it, in order. Called on the caller's thread. */
@FunctionalInterface
public interface LogSink {

    /** Output streams of a container process. */
    enum Stream { STDOUT, STDERR }

    void write(Stream stream, byte[] bytes);
}
