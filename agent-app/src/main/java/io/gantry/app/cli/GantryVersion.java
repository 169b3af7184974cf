package io.gantry.app.cli;

import io.gantry.core.Version;
import picocli.CommandLine;

/** Gantry's own version for {@code --version}; see {@link Version}. */
public final class GantryVersion implements CommandLine.IVersionProvider {

    public static String version() {
        return Version.current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {"gantry " + version()};
    }
}
