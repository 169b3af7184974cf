package io.gantry.update.desired;

/** The version Kanto reports for a container: read from its image reference (reference/kanto-cua.md §4.2). */
public final class ImageVersions {

    public static final String UNKNOWN = "n/a";

    private ImageVersions() {
    }

    /**
     * The text after the last {@code /}: everything after its first {@code @} if there is one not at the end (a
     * digest), else everything after its first {@code :} if there is one not at the end (a tag), else {@code n/a}.
     * {@code reg:8080/app:v1} gives {@code v1}, {@code app} gives {@code n/a}.
     */
    public static String of(String image) {
        String last = image.substring(image.lastIndexOf('/') + 1);
        int at = last.indexOf('@');
        if (at >= 0 && at < last.length() - 1) {
            return last.substring(at + 1);
        }
        int colon = last.indexOf(':');
        if (colon >= 0 && colon < last.length() - 1) {
            return last.substring(colon + 1);
        }
        return UNKNOWN;
    }
}
