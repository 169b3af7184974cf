package io.gantry.app.doctor;

import java.util.Objects;

/**
 * The result of one check of {@code gantry doctor}: its name, the verdict, what was seen and, for a failure or a
 * warning, what to do about it.
 */
public record Finding(String check, Verdict verdict, String detail, String fix) {

    /** OK passes; WARN cannot be decided here (or needs a look) and does not fail the doctor; FAIL does. */
    public enum Verdict { OK, WARN, FAIL }

    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
        if (verdict != Verdict.OK && (fix == null || fix.isBlank())) {
            throw new IllegalArgumentException(check + ": a " + verdict + " needs a fix");
        }
        fix = verdict == Verdict.OK ? null : fix;
    }

    public static Finding ok(String check, String detail) {
        return new Finding(check, Verdict.OK, detail, null);
    }

    public static Finding warn(String check, String detail, String fix) {
        return new Finding(check, Verdict.WARN, detail, fix);
    }

    public static Finding fail(String check, String detail, String fix) {
        return new Finding(check, Verdict.FAIL, detail, fix);
    }
}
