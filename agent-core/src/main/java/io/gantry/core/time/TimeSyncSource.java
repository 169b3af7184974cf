package io.gantry.core.time;

/**
 * Where the "time good" status comes from.
 *
 * <p>Contract: {@link #read()} never throws and returns within a few seconds (a tool that hangs counts as unable to
 * tell); it may be called from any thread.
 */
@FunctionalInterface
public interface TimeSyncSource {

    TimeSync read();
}
