package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

class ConfigWriterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void defaults_isACompleteFileThatLoadsBackToTheDefaults() throws Exception {
        String file = ConfigWriter.defaults();
        assertThat(ConfigLoader.parse(file, "defaults")).isEqualTo(AgentConfig.DEFAULTS);
    }

    @Test
    void defaults_holdsEveryKeyOfTheSchema() throws Exception {
        JsonNode tree = JSON.readTree(ConfigWriter.defaults());
        for (String path : ConfigTree.allPaths()) {
            if (path.startsWith("registries.") || path.startsWith("trust.signatures.")) {
                String map = "/" + path.substring(0, path.indexOf(".<")).replace('.', '/');
                assertThat(tree.at(map).isObject()).as(path).isTrue();
                continue;
            }
            assertThat(tree.at("/" + path.replace('.', '/')).isMissingNode()).as(path).isFalse();
        }
    }

    @Test
    void defaults_writesDurationsAndSizesAsOperatorsTypeThem() {
        String file = ConfigWriter.defaults();
        assertThat(file).startsWith("{\n  \"log\": {\n    \"log_level\": \"INFO\",")
                .contains("\"keep_alive\": \"20s\"", "\"max_payload_size\": \"256K\"", "\"system_containers\": []",
                        "\"registries\": {}", "\"state_dir\": \"/var/lib/gantry\"")
                .endsWith("}\n");
    }

    @Test
    void redacted_hidesEveryPassword_butShowsWhichAreSet() throws Exception {
        AgentConfig config = ConfigLoader.parse(ConfigLoaderTest.json("""
                {'connection': {'client_username': 'gw', 'client_password': 'hunter2'},
                 'registries': {'myreg:5000': {'credentials': {'user_id': 'ci', 'password': 'swordfish'}},
                                'open:5000': {'insecure': true}}}
                """), "test");
        String out = ConfigWriter.redacted(config);
        assertThat(out).doesNotContain("hunter2", "swordfish");
        JsonNode tree = JSON.readTree(out);
        assertThat(tree.at("/connection/client_password").textValue()).isEqualTo("****");
        assertThat(tree.at("/connection/client_username").textValue()).isEqualTo("gw");
        assertThat(tree.at("/registries/myreg:5000/credentials/password").textValue()).isEqualTo("****");
        assertThat(tree.at("/registries/open:5000/credentials/password").textValue()).isEmpty();
    }

    @Test
    void redacted_roundTripsEverythingButSecrets() throws Exception {
        AgentConfig config = ConfigLoader.parse(ConfigLoaderTest.json("""
                {'connection': {'broker_url': 'tcp://b:1883', 'keep_alive': 90, 'max_payload_size': '1.5m'},
                 'engine': {'api_timeout': '1m30s'}, 'things': {'features': ['Metrics']},
                 'update_agent': {'system_containers': ['a', 'b']}}
                """), "test");
        assertThat(ConfigLoader.parse(ConfigWriter.redacted(config), "again")).isEqualTo(config);
    }
}
