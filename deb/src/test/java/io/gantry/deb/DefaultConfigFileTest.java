package io.gantry.deb;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.config.AgentConfig;
import io.gantry.config.ConfigLoader;
import io.gantry.config.ConfigWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DefaultConfigFileTest {

    private static final Path CONFFILE = Path.of("src/deb/etc/config.json");

    @Test
    void packagedConfig_isTheCompleteDefaultFile() throws Exception {
        assertThat(Files.readString(CONFFILE)).isEqualTo(ConfigWriter.defaults());
    }

    @Test
    void packagedConfig_loadsAsTheDefaults() throws Exception {
        assertThat(ConfigLoader.load(CONFFILE)).isEqualTo(AgentConfig.DEFAULTS);
    }
}
