package io.gantry.app.testing;

/**
 * A cleanup that runs when closed, or when the JVM exits without that (a crash, a kill), so that an engine a test
 * started never outlives it. The cleanup itself must tolerate running twice.
 */
final class ExitCleanup implements AutoCloseable {

    private final Runnable cleanup;
    private final Thread hook;

    ExitCleanup(String name, Runnable cleanup) {
        this.cleanup = cleanup;
        this.hook = new Thread(cleanup, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        cleanup.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException exiting) {
            // the JVM is already shutting down: the hook runs (or ran) the cleanup itself
        }
    }
}
