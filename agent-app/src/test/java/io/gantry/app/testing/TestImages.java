package io.gantry.app.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local test image ({@code gantry-test/busybox:1}, built by {@code bin/build-test-image} from Debian's
 * busybox-static, since no registry on the internet is reachable). Tests build it when it is missing.
 */
public final class TestImages {

    public static final String BUSYBOX = "gantry-test/busybox:1";

    private TestImages() {
    }

    /** Makes sure the engine at {@code host} (null: the default engine) has the test image. */
    public static synchronized String ensureBusybox(String host) {
        Processes.Result present = Processes.attempt(Map.of(), host == null
                ? new String[] {"docker", "image", "inspect", BUSYBOX}
                : new String[] {"docker", "-H", host, "image", "inspect", BUSYBOX});
        if (present.exitCode() != 0) {
            Processes.run(host == null ? Map.of() : Map.of("DOCKER_HOST", host),
                    repositoryRoot().resolve("bin/build-test-image").toString(), BUSYBOX);
        }
        return BUSYBOX;
    }

    /** The checkout's root: the first parent of the working directory that holds {@code bin/build-test-image}. */
    public static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/build-test-image"))) {
                return p;
            }
        }
        throw new AssertionError("cannot find bin/build-test-image above " + Path.of("").toAbsolutePath());
    }
}
