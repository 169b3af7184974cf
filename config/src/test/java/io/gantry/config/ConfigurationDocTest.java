package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is the operator's reference: it must name every key and show the real default file. */
class ConfigurationDocTest {

    private static String doc;

    @BeforeAll
    static void read() throws IOException {
        doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    }

    @Test
    void everyKey_hasARow() {
        for (String path : ConfigTree.allPaths()) {
            assertThat(doc).as(path).contains("| `" + path + "` |");
        }
    }

    @Test
    void theDefaultFile_isShownExactly() {
        assertThat(doc).contains("```json\n" + ConfigWriter.defaults() + "```");
    }

    @Test
    void theExample_isAValidFile_apartFromItsCaFile() {
        int start = doc.indexOf("```json\n", doc.indexOf("## An example")) + "```json\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));
        try {
            ConfigLoader.parse(example, "example");
        } catch (ConfigException e) {
            // The example points at a CA file that exists on the gateway, not on a build machine.
            assertThat(e.problems()).containsExactly(new ConfigProblem("connection.transport.root_ca",
                    "\"/etc/gantry/tls/ca.pem\" does not exist"));
        }
    }

    @Test
    void everyLiveKey_isListedAsAppliedWhileRunning() {
        for (String live : ConfigChange.LIVE) {
            assertThat(doc).as(live).containsPattern("`" + live.replace(".", "\\.") + "(\\.\\*)?`");
        }
    }
}
