package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ConfigChangeTest {

    private static AgentConfig config(String singleQuoted) throws ConfigException {
        return ConfigLoader.parse(ConfigLoaderTest.json(singleQuoted), "test");
    }

    @Test
    void equalConfigs_haveNoChange() throws ConfigException {
        ConfigChange change = ConfigChange.between(AgentConfig.DEFAULTS, config("{'log':{'log_level':'info'}}"));
        assertThat(change.isEmpty()).isTrue();
        assertThat(change).hasToString("no change");
        assertThat(change.requiresRestart()).isFalse();
    }

    @ParameterizedTest(name = "{0} -> {1}, restart {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {'log':{'log_level':'DEBUG'}}                          | log.log_level                       | false
            {'log':{'log_file':'/var/log/gantry.log'}}             | log.log_file                        | true
            {'connection':{'broker_url':'tcp://other:1883'}}       | connection.broker_url               | false
            {'connection':{'transport':{'root_ca':''}}}             | ''                                  | false
            {'things':{'features':['Metrics']}}                    | things.features                     | false
            {'things':{'enable':false}}                            | things.enable                       | false
            {'update_agent':{'system_containers':['sua']}}         | update_agent.system_containers      | false
            {'update_agent':{'domain':'my-ctrs'}}                  | update_agent.domain                 | false
            {'update_agent':{'mode':'orchestrated'}}               | update_agent.mode                   | false
            {'metrics':{'min_frequency':'2s'}}                     | metrics.min_frequency               | false
            {'metrics':{'prometheus':{'enable':true}}}             | metrics.prometheus.enable           | false
            {'metrics':{'prometheus':{'listen':'0.0.0.0:9464'}}}   | metrics.prometheus.listen           | false
            {'engine':{'host':'tcp://docker:2375'}}                | engine.host                         | true
            {'engine':{'default_stop_timeout':10}}                 | engine.default_stop_timeout         | false
            {'engine':{'api_timeout':10}}                          | engine.api_timeout                  | true
            {'registries':{'r:5000':{'insecure':true}}}            | registries["r:5000"]                | false
            {'deployment':{'mode':'init'}}                         | deployment.mode                     | false
            {'state_dir':'/srv/gantry'}                            | state_dir                           | true
            """)
    void aChangeFromTheDefaults_namesItsPath_andWhetherItNeedsARestart(String edit, String path, boolean restart)
            throws ConfigException {
        ConfigChange change = ConfigChange.between(AgentConfig.DEFAULTS, config(edit));
        if (path.isEmpty()) {
            assertThat(change.paths()).isEmpty();
            return;
        }
        assertThat(change.paths()).containsExactly(path);
        assertThat(change.requiresRestart()).isEqualTo(restart);
        assertThat(change.changed(path)).isTrue();
    }

    @Test
    void secretChanges_areNamedByPath_neverByValue() throws ConfigException {
        AgentConfig before = config("{'connection':{'client_username':'gw','client_password':'old-secret'},"
                + "'registries':{'r:5000':{'credentials':{'user_id':'u','password':'pw1'}}}}");
        AgentConfig after = config("{'connection':{'client_username':'gw','client_password':'new-secret'},"
                + "'registries':{'r:5000':{'credentials':{'user_id':'u','password':'pw2'}}}}");
        ConfigChange change = ConfigChange.between(before, after);
        assertThat(change.paths()).containsExactly("connection.client_password",
                "registries[\"r:5000\"].credentials.password");
        assertThat(change.toString()).doesNotContain("secret", "pw1", "pw2");
        assertThat(change.requiresRestart()).isFalse();
    }

    @Test
    void registriesAddedAndRemoved_areWholeEntries() throws ConfigException {
        AgentConfig before = config("{'registries':{'a:5000':{},'b:5000':{'insecure':true}}}");
        AgentConfig after = config("{'registries':{'b:5000':{'insecure':false},'c:5000':{}}}");
        assertThat(ConfigChange.between(before, after).paths()).containsExactly("registries[\"a:5000\"]",
                "registries[\"b:5000\"].insecure", "registries[\"c:5000\"]");
    }

    @Test
    void severalChanges_areSplitIntoLiveAndRestart_andSections() throws ConfigException {
        ConfigChange change = ConfigChange.between(AgentConfig.DEFAULTS, config("""
                {'log':{'log_level':'DEBUG'},'connection':{'keep_alive':'30s'},'engine':{'host':'tcp://d:2375'},
                 'state_dir':'/srv/gantry'}
                """));
        assertThat(change.paths()).containsExactly("log.log_level", "connection.keep_alive", "engine.host", "state_dir");
        assertThat(change.live()).containsExactly("log.log_level", "connection.keep_alive");
        assertThat(change.needingRestart()).containsExactly("engine.host", "state_dir");
        assertThat(change.sections()).containsExactly("connection", "engine", "log", "state_dir");
        assertThat(change.changed("connection")).isTrue();
        assertThat(change.changed("things")).isFalse();
        assertThat(change).hasToString("log.log_level, connection.keep_alive, engine.host, state_dir");
        assertThat(change.previous()).isEqualTo(AgentConfig.DEFAULTS);
    }
}
