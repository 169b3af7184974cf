package io.gantry.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Gantry's version, which the build writes into {@code io/gantry/core/version.properties}. */
public final class Version {

    private static final String CURRENT = read();

    private Version() {
    }

    /** The project version, or "unknown" in a build that did not filter the file (an IDE's, say). */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String v = p.getProperty("version", "");
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
