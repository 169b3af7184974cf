package io.gantry.ditto.software;

/**
 * An artifact could not be installed. {@link #rejected()} distinguishes an artifact that arrived but is not
 * acceptable (checksum mismatch, invalid descriptor: hawkBit's FINISHED_REJECTED) from one that could not be had or
 * used (FINISHED_ERROR).
 */
public final class ArtifactException extends RuntimeException {

    private final boolean rejected;

    public ArtifactException(String message, boolean rejected, Throwable cause) {
        super(message, cause);
        this.rejected = rejected;
    }

    public boolean rejected() {
        return rejected;
    }
}
