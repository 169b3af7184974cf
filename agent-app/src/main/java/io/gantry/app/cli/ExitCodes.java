package io.gantry.app.cli;

/** The exit codes of the {@code gantry} command (sysexits.h where one fits). */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** The engine refused or failed the operation: an unknown container, a conflict, a failed pull. */
    public static final int FAILED = 1;
    /** The command line was wrong: an unknown option, a bad option value, a missing argument. */
    public static final int USAGE = 2;
    /** A desired state is invalid: refused by {@code gantry apply}'s checks or by the update agent (EX_DATAERR). */
    public static final int DATA = 65;
    /** The operator's policy or trust rules refuse the container; nothing was pulled or created (EX_NOPERM). */
    public static final int REFUSED = 77;
    /** The engine or the MQTT broker did not answer (EX_UNAVAILABLE). */
    public static final int UNAVAILABLE = 69;
    /** The update agent did not finish or answer in time (EX_TEMPFAIL). */
    public static final int TIMEOUT = 75;
    /** The configuration file is missing or invalid (EX_CONFIG). */
    public static final int CONFIG = 78;

    private ExitCodes() {
    }
}
