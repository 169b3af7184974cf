package io.gantry.app.cli;

/** The exit codes of the {@code gantry} command (sysexits.h where one fits). */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** The engine refused or failed the operation: an unknown container, a conflict, a failed pull. */
    public static final int FAILED = 1;
    /** The command line was wrong: an unknown option, a bad option value, a missing argument. */
    public static final int USAGE = 2;
    /** The engine did not answer (EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** The configuration file is missing or invalid (EX_CONFIG). */
    public static final int CONFIG = 78;

    private ExitCodes() {
    }
}
