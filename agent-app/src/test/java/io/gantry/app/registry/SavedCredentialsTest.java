package io.gantry.app.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.config.AgentConfig;
import io.gantry.config.RegistryConfig;
import io.gantry.config.Secret;
import io.gantry.config.TlsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registry credentials from the dashboard's form: used where the configuration has none, kept across restarts. */
class SavedCredentialsTest {

    @Test
    void savedCredentials_fillRegistriesWithoutCredentials_butTheConfigurationWins(@TempDir Path state)
            throws Exception {
        SavedCredentials saved = SavedCredentials.load(state);
        saved.save("Registry.Local:5000", "gw", "pw1");
        saved.save("configured.example", "gw", "pw2");
        AgentConfig config = AgentConfig.DEFAULTS.withRegistries(Map.of("configured.example", new RegistryConfig(
                new RegistryConfig.Credentials("ops", Secret.of("ops-pw")), TlsConfig.NONE, false)));

        AgentConfig merged = SavedCredentials.load(state).over(config);

        assertThat(merged.registry("registry.local:5000").orElseThrow().credentials().userId()).isEqualTo("gw");
        assertThat(merged.registry("configured.example").orElseThrow().credentials().userId()).isEqualTo("ops");
        assertThat(SavedCredentials.load(state).user("registry.local:5000")).hasValue("gw");
    }

    @Test
    void anEmptyPassword_keepsTheSavedOneForTheSameUser_only(@TempDir Path state) throws Exception {
        SavedCredentials saved = SavedCredentials.load(state);
        saved.save("r.local", "gw", "pw");
        saved.save("r.local", "gw", "");

        assertThat(saved.over(AgentConfig.DEFAULTS).registry("r.local").orElseThrow().credentials().password().value())
                .isEqualTo("pw");
        assertThatThrownBy(() -> saved.save("r.local", "other", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("pw ");
        assertThatThrownBy(() -> saved.save("new.local", "gw", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileThatCannotBeRead_meansNoCredentials_notACrash(@TempDir Path state) throws Exception {
        Files.writeString(state.resolve(SavedCredentials.FILE), "{not json");

        assertThat(SavedCredentials.load(state).over(AgentConfig.DEFAULTS).registries()).isEmpty();
    }
}
