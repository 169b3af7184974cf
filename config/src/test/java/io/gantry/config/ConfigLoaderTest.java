package io.gantry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    /** JSON written with single quotes, so that the tables stay readable. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static List<String> problems(String singleQuoted) {
        try {
            ConfigLoader.parse(json(singleQuoted), "test.json");
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        return List.of();
    }

    static AgentConfig load(String singleQuoted) throws ConfigException {
        return ConfigLoader.parse(json(singleQuoted), "test.json");
    }

    // --- what is accepted ---------------------------------------------------------------------------------------

    @Test
    void emptyObject_givesTheDefaults() throws ConfigException {
        assertThat(load("{}")).isEqualTo(AgentConfig.DEFAULTS);
    }

    @Test
    void missingKeys_keepTheirDefaults_andGivenKeysReplaceThem() throws ConfigException {
        AgentConfig c = load("{'connection':{'keep_alive':'45s'},'log':{'log_level':'debug'}}");
        assertThat(c.connection().keepAlive()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.connection().brokerUrl()).isEqualTo("tcp://localhost:1883");
        assertThat(c.log().logLevel()).isEqualTo("DEBUG");
        assertThat(c.things()).isEqualTo(ThingsConfig.DEFAULTS);
    }

    @Test
    void updateAgentStrict_isReadFromTheFile_andOffByDefault() throws ConfigException {
        assertThat(load("{'update_agent':{'strict':true}}").updateAgent().strict()).isTrue();
        assertThat(AgentConfig.DEFAULTS.updateAgent().strict()).isFalse();
    }

    @Test
    void arrays_replaceTheDefaultArray() throws ConfigException {
        assertThat(load("{'things':{'features':['Metrics']}}").things().features()).containsExactly("Metrics");
        assertThat(load("{'things':{'features':[]}}").things().features()).isEmpty();
    }

    @Test
    void commentsAndTrailingCommas_areAllowed() throws ConfigException {
        AgentConfig c = load("""
                // Gantry on gateway 7
                {
                  /* the local broker */
                  'connection': {
                    'broker_url': 'mqtts://broker.local:8883', // TLS
                    'keep_alive': 30,
                  },
                }
                """);
        assertThat(c.connection().brokerUrl()).isEqualTo("mqtts://broker.local:8883");
        assertThat(c.connection().keepAlive()).isEqualTo(Duration.ofSeconds(30));
    }

    static Stream<Arguments> acceptedValues() {
        return Stream.of(
                arguments("{'connection':{'keep_alive':20}}", "20s keep-alive as integer seconds"),
                arguments("{'connection':{'keep_alive':'1m'}}", "keep-alive as a duration string"),
                arguments("{'connection':{'keep_alive':0}}", "keep-alive 0 (off)"),
                arguments("{'engine':{'default_stop_timeout':'15'}}", "stop timeout as seconds in a string (Kanto)"),
                arguments("{'connection':{'broker_url':'tcp://127.0.0.1:1883'}}", "IPv4 broker"),
                arguments("{'connection':{'broker_url':'mqtt://[::1]:1883'}}", "IPv6 broker"),
                arguments("{'connection':{'broker_url':'ws://broker:8080/mqtt'}}", "websocket with a path"),
                arguments("{'connection':{'broker_url':'tcp://mosquitto_1:1883'}}", "Docker network host name"),
                arguments("{'connection':{'broker_url':'MQTT+SSL://broker:8883'}}", "scheme in upper case"),
                arguments("{'connection':{'protocol_version':'5'}}", "MQTT 5"),
                arguments("{'connection':{'client_username':'gw','client_password':'s3cret'}}", "credentials"),
                arguments("{'connection':{'max_payload_size':'1m'}}", "payload size"),
                arguments("{'log':{'log_level':'trace','log_file':'/var/log/gantry/gantry.log'}}", "log file"),
                arguments("{'log':{'log_file_size':'10m','log_file_count':1}}", "rotation"),
                arguments("{'things':{'device_id':'org.example:gw-1','tenant_id':'t1'}}", "static device"),
                arguments("{'things':{'bridge_state_topic':'gateway/bridge/+/state'}}", "bridge states of own topic"),
                arguments("{'things':{'bridge_state_topic':''}}", "no bridge states"),
                arguments("{'update_agent':{'mode':'Orchestrated','domain':'my-ctrs'}}", "mode in any case"),
                arguments("{'update_agent':{'system_containers':['cloud-connector','_x.y-z']}}", "system containers"),
                arguments("{'metrics':{'prometheus':{'enable':true,'listen':'[::1]:9464'}}}", "IPv6 listen"),
                arguments("{'metrics':{'min_frequency':'500ms'}}", "sub-second metrics"),
                arguments("{'engine':{'host':'tcp://10.0.0.2:2375'}}", "engine over TCP"),
                arguments("{'engine':{'host':'unix:///run/podman/podman.sock'}}", "Podman socket"),
                arguments("{'engine':{'pull_retries':0}}", "no retries"),
                arguments("{'registries':{'localhost:5000':{'insecure':true}}}", "insecure local registry"),
                arguments("{'registries':{'docker.io':{'credentials':{'user_id':'me','password':'pw'}}}}", "Hub"),
                arguments("{'registries':{'[::1]:5000':{}}}", "IPv6 registry"),
                arguments("{'deployment':{'mode':'INIT','enable':false}}", "deployment mode in any case"),
                arguments("{'dashboard':{'enable':true,'password_hash':'pbkdf2-sha256$600000$c2FsdHNhbHRzYWx0c2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='}}", "dashboard"),
                arguments("{'state_dir':'/srv/gantry'}", "state dir"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("acceptedValues")
    void acceptedValues_loadWithoutProblems(String config, String what) {
        assertThat(problems(config)).isEmpty();
    }

    @Test
    void registryKeys_areLowerCased_andLookedUpInAnyCase() throws ConfigException {
        AgentConfig c = load("{'registries':{'MyReg.Example.com:5000':{'insecure':true}}}");
        assertThat(c.registries()).containsOnlyKeys("myreg.example.com:5000");
        assertThat(c.registry("MYREG.example.com:5000")).map(RegistryConfig::insecure).contains(true);
        assertThat(c.registry("other:5000")).isEmpty();
    }

    // --- what is rejected, and how it is said -------------------------------------------------------------------

    static Stream<Arguments> rejections() {
        return Stream.of(
                // unknown keys, with suggestions
                arguments("{'connection':{'brokr_url':'tcp://x:1'}}",
                        "connection.brokr_url: unknown key (did you mean broker_url?)"),
                arguments("{'connection':{'brokerUrl':'tcp://x:1'}}",
                        "connection.brokerUrl: unknown key (did you mean broker_url?)"),
                arguments("{'connection':{'keepalive':20}}",
                        "connection.keepalive: unknown key (did you mean keep_alive?)"),
                arguments("{'updateAgent':{}}", "updateAgent: unknown key (did you mean update_agent?)"),
                arguments("{'log':{'level':'INFO'}}",
                        "log.level: unknown key (expected one of: log_level, log_file, log_file_size, log_file_count)"),
                arguments("{'connection':{'log_level':'INFO'}}",
                        "connection.log_level: unknown key here (did you mean log.log_level?)"),
                arguments("{'registries':{'r:5000':{'credentials':{'username':'u'}}}}",
                        "registries[\"r:5000\"].credentials.username: unknown key (expected one of: user_id, password)"),
                arguments("{'colour':'blue'}", "colour: unknown key (expected one of: log, connection, things,"
                        + " update_agent, metrics, engine, registries, deployment, policy, trust, dashboard,"
                        + " state_dir, time_sync)"),
                // the dashboard
                arguments("{'dashboard':{'enable':true}}", "dashboard.password_hash: is needed when dashboard.enable"
                        + " is true (make one with: gantry dashboard-password)"),
                arguments("{'dashboard':{'password_hash':'secret'}}", "dashboard.password_hash: is not a hash made by"
                        + " gantry dashboard-password (expected pbkdf2-sha256$<iterations>$<salt>$<hash>)"),
                arguments("{'dashboard':{'tls_key':'/etc/hostname'}}",
                        "dashboard.tls_key: \"/etc/hostname\" is not a PEM file (no -----BEGIN line)"),
                arguments("{'dashboard':{'listen':'9465'}}", "dashboard.listen: \"9465\": the port is missing (expected host:port,"
                        + " e.g. 127.0.0.1:9464, or 0.0.0.0:9464 for every interface)"),
                arguments("{'dashboard':{'session_timeout':0}}", "dashboard.session_timeout: must be longer than 0s"),
                // Kanto's keys
                arguments("{'things':{'home_dir':'/var/lib/container-management'}}",
                        "things.home_dir: unknown key (Kanto's key; Gantry keeps its state under state_dir)"),
                arguments("{'deployment':{'ctr_dir':'/etc/c'}}",
                        "deployment.ctr_dir: unknown key (Kanto's name; Gantry calls it deployment.directory)"),
                arguments("{'connection':{'disconnect_timeout':'250ms'}}",
                        "connection.disconnect_timeout: unknown key (Kanto's key; Gantry does not use it)"),
                arguments("{'log':{'syslog':true}}",
                        "log.syslog: unknown key (Kanto's key; Gantry logs to stdout (journald) or to log_file)"),
                arguments("{'log':{'log_file_max_age':28}}",
                        "log.log_file_max_age: unknown key (Kanto's key; Gantry keeps log_file_count files instead)"),
                arguments("{'manager':{'default_ctrs_stop_timeout':'30s'}}",
                        "manager: unknown key (Kanto's section; the stop timeout is engine.default_stop_timeout)"),
                arguments("{'containers':{}}",
                        "containers: unknown key (Kanto's section; registry settings are under registries, keyed by host)"),
                arguments("{'network':{}}", "network: unknown key (Kanto's section; the Docker Engine manages networks)"),
                arguments("{'grpc_server':{}}", "grpc_server: unknown key (Kanto's section; Gantry has no gRPC server)"),
                // JSON types
                arguments("{'log':'DEBUG'}", "log: expected an object, got a string (\"DEBUG\")"),
                arguments("{'log':{'log_level':3}}", "log.log_level: expected a string, got a number (3)"),
                arguments("{'log':{'log_file':null}}", "log.log_file: expected a string, got null"),
                arguments("{'things':{'enable':'true'}}", "things.enable: expected true or false, got a string (\"true\")"),
                arguments("{'things':{'enable':1}}", "things.enable: expected true or false, got a number (1)"),
                arguments("{'things':{'features':'Metrics'}}",
                        "things.features: expected an array of strings, got a string (\"Metrics\")"),
                arguments("{'things':{'features':['Metrics',{}]}}",
                        "things.features[1]: expected a string, got an object"),
                arguments("{'engine':{'pull_retries':'3'}}", "engine.pull_retries: expected a whole number, got a string (\"3\")"),
                arguments("{'engine':{'pull_retries':2.5}}", "engine.pull_retries: expected a whole number, got a number (2.5)"),
                arguments("{'engine':{'pull_retries':-1}}", "engine.pull_retries: -1 is negative; expected 0 or more"),
                arguments("{'engine':{'pull_retries':99999999999}}", "engine.pull_retries: 99999999999 is too large"),
                arguments("{'registries':[]}", "registries: expected an object, got an array"),
                arguments("{'registries':{'r:5000':true}}", "registries[\"r:5000\"]: expected an object, got true"),
                arguments("{'state_dir':5}", "state_dir: expected a path (a string), got a number (5)"),
                arguments("{'connection':{'transport':[]}}", "connection.transport: expected an object, got an array"),
                // secrets are never echoed
                arguments("{'connection':{'client_username':'u','client_password':12345}}",
                        "connection.client_password: expected a string, got a number"),
                arguments("{'registries':{'r:5000':{'credentials':{'user_id':'u','password':false}}}}",
                        "registries[\"r:5000\"].credentials.password: expected a string, got a boolean"),
                // durations
                arguments("{'connection':{'keep_alive':'20x'}}",
                        "connection.keep_alive: \"20x\" is not a duration (e.g. 20s, 1m)"),
                arguments("{'connection':{'keep_alive':'-5s'}}",
                        "connection.keep_alive: \"-5s\" is negative; a duration is 0 or more"),
                arguments("{'connection':{'keep_alive':-5}}", "connection.keep_alive: -5 is negative; a duration is 0 or more"),
                arguments("{'connection':{'keep_alive':1.5}}",
                        "connection.keep_alive: 1.5 is not a whole number of seconds (write it with a unit, e.g. \"1.5s\")"),
                arguments("{'connection':{'keep_alive':true}}",
                        "connection.keep_alive: expected a duration (e.g. \"20s\", \"1m\" or a number of seconds), got true"),
                arguments("{'connection':{'keep_alive':'500ms'}}", "connection.keep_alive: 500ms is not a whole number of seconds"),
                arguments("{'connection':{'keep_alive':'19h'}}",
                        "connection.keep_alive: 19h0m0s is longer than MQTT allows (18h12m15s)"),
                arguments("{'connection':{'connect_timeout':0}}", "connection.connect_timeout: must be longer than 0s"),
                arguments("{'connection':{'acknowledge_timeout':'0s'}}", "connection.acknowledge_timeout: must be longer than 0s"),
                arguments("{'connection':{'subscribe_timeout':'0ms'}}", "connection.subscribe_timeout: must be longer than 0s"),
                arguments("{'connection':{'unsubscribe_timeout':0}}", "connection.unsubscribe_timeout: must be longer than 0s"),
                arguments("{'engine':{'default_stop_timeout':'1.5s'}}", "engine.default_stop_timeout: 1.5s is not a whole"
                        + " number of seconds (the engine counts stop timeouts in seconds)"),
                arguments("{'engine':{'api_timeout':0}}", "engine.api_timeout: must be longer than 0s"),
                arguments("{'engine':{'connect_timeout':0}}", "engine.connect_timeout: must be longer than 0s"),
                arguments("{'engine':{'pull_stall_timeout':0}}", "engine.pull_stall_timeout: must be longer than 0s"),
                arguments("{'update_agent':{'health_timeout':0}}", "update_agent.health_timeout: must be longer than 0s"),
                arguments("{'metrics':{'min_frequency':'0s'}}", "metrics.min_frequency: must be longer than 0s"),
                // sizes
                arguments("{'connection':{'max_payload_size':'256x'}}",
                        "connection.max_payload_size: \"256x\" is not a size (e.g. 512m, 1.5g, 100MiB)"),
                arguments("{'connection':{'max_payload_size':262144}}", "connection.max_payload_size: a size needs a unit:"
                        + " write \"262144k\", \"262144m\" or \"262144b\" (a bare number is ambiguous)"),
                arguments("{'connection':{'max_payload_size':'0b'}}", "connection.max_payload_size: must be more than 0 bytes"),
                arguments("{'connection':{'max_payload_size':'256m'}}",
                        "connection.max_payload_size: 256m is more than MQTT's limit of 268435455 bytes"),
                arguments("{'log':{'log_file_size':'0m'}}", "log.log_file_size: must be more than 0 bytes"),
                arguments("{'log':{'log_file_size':[]}}", "log.log_file_size: expected a size (e.g. \"512m\", \"1g\"), got an array"),
                // enums
                arguments("{'log':{'log_level':'verbose'}}",
                        "log.log_level: \"VERBOSE\" is not a log level (expected ERROR, WARN, INFO, DEBUG or TRACE)"),
                arguments("{'connection':{'protocol_version':'3.1'}}",
                        "connection.protocol_version: \"3.1\" is not an MQTT version (expected \"3.1.1\" or \"5\")"),
                arguments("{'connection':{'protocol_version':5}}", "connection.protocol_version: expected a string, got a number (5)"),
                arguments("{'update_agent':{'mode':'manual'}}",
                        "update_agent.mode: \"manual\" is not a mode (expected auto or orchestrated)"),
                arguments("{'deployment':{'mode':'always'}}",
                        "deployment.mode: \"always\" is not a mode (expected update or init)"),
                arguments("{'things':{'features':['Metrics','metrics']}}",
                        "things.features[1]: \"metrics\" is not a feature (did you mean Metrics?)"),
                arguments("{'things':{'features':['Logs']}}",
                        "things.features[0]: \"Logs\" is not a feature (expected ContainerFactory, SoftwareUpdatable, Metrics, Gantry)"),
                // broker URLs
                arguments("{'connection':{'broker_url':'localhost:1883'}}", "connection.broker_url: \"localhost:1883\" is not"
                        + " a broker URL (expected scheme://host:port with scheme tcp, mqtt, ssl, tls, mqtts, mqtt+ssl, tcps,"
                        + " ws or wss, e.g. tcp://localhost:1883)"),
                arguments("{'connection':{'broker_url':'http://broker:1883'}}", "connection.broker_url: \"http://broker:1883\""
                        + " has scheme http (expected tcp, mqtt, ssl, tls, mqtts, mqtt+ssl, tcps, ws or wss)"),
                arguments("{'connection':{'broker_url':'tcp://localhost'}}", "connection.broker_url: \"tcp://localhost\": the"
                        + " port is missing (expected scheme://host:port with scheme tcp, mqtt, ssl, tls, mqtts, mqtt+ssl,"
                        + " tcps, ws or wss, e.g. tcp://localhost:1883)"),
                arguments("{'connection':{'broker_url':'tcp://localhost:70000'}}", "connection.broker_url:"
                        + " \"tcp://localhost:70000\": port \"70000\" is not a number from 1 to 65535 (expected"
                        + " scheme://host:port with scheme tcp, mqtt, ssl, tls, mqtts, mqtt+ssl, tcps, ws or wss, e.g."
                        + " tcp://localhost:1883)"),
                arguments("{'connection':{'broker_url':'tcp://::1:1883'}}", "connection.broker_url: \"tcp://::1:1883\": an"
                        + " IPv6 address is written in brackets, e.g. [::1]:1883 (expected scheme://host:port with scheme"
                        + " tcp, mqtt, ssl, tls, mqtts, mqtt+ssl, tcps, ws or wss, e.g. tcp://localhost:1883)"),
                arguments("{'connection':{'broker_url':'tcp://bro ker:1883'}}", "connection.broker_url: \"tcp://bro ker:1883\":"
                        + " \"bro ker\" is not a host name or IP address (expected scheme://host:port with scheme tcp, mqtt,"
                        + " ssl, tls, mqtts, mqtt+ssl, tcps, ws or wss, e.g. tcp://localhost:1883)"),
                arguments("{'connection':{'broker_url':'tcp://broker:1883/x'}}",
                        "connection.broker_url: \"tcp://broker:1883/x\": only ws:// and wss:// URLs have a path"),
                arguments("{'connection':{'broker_url':'tcp://broker:1883?a=b'}}",
                        "connection.broker_url: \"tcp://broker:1883?a=b\": a broker URL has no query or fragment"),
                arguments("{'connection':{'broker_url':'tcp://user:hunter2@broker:1883'}}", "connection.broker_url: a broker"
                        + " URL must not hold credentials; use client_username and client_password"),
                // metrics.own
                arguments("{'metrics':{'own':{'interval':'0s'}}}", "metrics.own.interval: must be longer than 0s"),
                arguments("{'metrics':{'own':{'max_size':'65M'}}}",
                        "metrics.own.max_size: must be at most 64M (it is held in memory)"),
                arguments("{'metrics':{'own':{'timeout':'2m'}}}",
                        "metrics.own.timeout: must not be longer than metrics.own.interval"),
                // update_agent.windows
                arguments("{'update_agent':{'windows':{'open':['Mon-Fri 02:00-04:00','nightly']}}}",
                        "update_agent.windows.open[1]: \"nightly\" is not a window (expected days and times, e.g."
                                + " \"Mon-Fri 02:00-04:00\" or \"Sat,Sun 00:00-24:00\")"),
                arguments("{'update_agent':{'windows':{'zone':'CEST+1'}}}",
                        "update_agent.windows.zone: \"CEST+1\" is not a time zone (e.g. UTC, Europe/Berlin)"),
                // time_sync
                arguments("{'time_sync':{'status_file':'time-status'}}", "time_sync.status_file: \"time-status\" is"
                        + " not an absolute path (or \"\" for the system's own sources)"),
                arguments("{'time_sync':{'status_file':'/tmp'}}",
                        "time_sync.status_file: \"/tmp\" is a directory, not a file"),
                arguments("{'time_sync':{'check_interval':'0s'}}", "time_sync.check_interval: must be longer than 0s"),
                arguments("{'time_sync':{'check_interval':'soon'}}",
                        "time_sync.check_interval: \"soon\" is not a duration (e.g. 20s, 1m)"),
                // engine, listen address, registry keys, names
                arguments("{'engine':{'host':'/var/run/docker.sock'}}", "engine.host: \"/var/run/docker.sock\" is not an"
                        + " engine address (expected unix:///path/to/docker.sock or tcp://host:port)"),
                arguments("{'engine':{'host':'unix://docker.sock'}}", "engine.host: \"unix://docker.sock\" does not name an"
                        + " absolute socket path (expected unix:///path/to/docker.sock or tcp://host:port)"),
                arguments("{'engine':{'host':'tcp://docker'}}", "engine.host: \"tcp://docker\": the port is missing"
                        + " (expected unix:///path/to/docker.sock or tcp://host:port)"),
                arguments("{'engine':{'host':'tcp://docker:2375/v1.41'}}", "engine.host: \"tcp://docker:2375/v1.41\": an"
                        + " engine address has no path (expected unix:///path/to/docker.sock or tcp://host:port)"),
                arguments("{'engine':{'host':'ssh://docker:22'}}", "engine.host: \"ssh://docker:22\" is not an engine"
                        + " address (expected unix:///path/to/docker.sock or tcp://host:port)"),
                arguments("{'metrics':{'prometheus':{'listen':'9464'}}}", "metrics.prometheus.listen: \"9464\": the port"
                        + " is missing (expected host:port, e.g. 127.0.0.1:9464, or 0.0.0.0:9464 for every interface)"),
                arguments("{'metrics':{'prometheus':{'listen':':9464'}}}", "metrics.prometheus.listen: \":9464\": the host"
                        + " is missing (expected host:port, e.g. 127.0.0.1:9464, or 0.0.0.0:9464 for every interface)"),
                arguments("{'metrics':{'prometheus':{'listen':'[::1:9464'}}}", "metrics.prometheus.listen: \"[::1:9464\":"
                        + " the IPv6 address has no closing ] (expected host:port, e.g. 127.0.0.1:9464, or 0.0.0.0:9464 for"
                        + " every interface)"),
                arguments("{'registries':{'https://myreg:5000/v2':{}}}", "registries[\"https://myreg:5000/v2\"]: a registry"
                        + " key is host[:port] without a scheme, e.g. myreg:5000"),
                arguments("{'registries':{'myreg:5000/team':{}}}",
                        "registries[\"myreg:5000/team\"]: a registry key is host[:port] without a path, e.g. myreg:5000"),
                arguments("{'registries':{'index.docker.io':{}}}", "registries[\"index.docker.io\"]: Docker Hub is keyed as"
                        + " docker.io, the registry that image references name"),
                arguments("{'registries':{'myreg:0':{}}}", "registries[\"myreg:0\"]: port \"0\" is not a number from 1 to"
                        + " 65535 (expected host[:port], e.g. registry.example.com:5000)"),
                arguments("{'registries':{'my reg':{}}}", "registries[\"my reg\"]: \"my reg\" is not a host name or IP"
                        + " address (expected host[:port], e.g. registry.example.com:5000)"),
                arguments("{'update_agent':{'domain':'my/ctrs'}}", "update_agent.domain: \"my/ctrs\" is not a domain name"
                        + " (expected letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. containers)"),
                arguments("{'update_agent':{'domain':''}}", "update_agent.domain: \"\" is not a domain name (expected"
                        + " letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. containers)"),
                arguments("{'update_agent':{'domain':'-x'}}", "update_agent.domain: \"-x\" is not a domain name (expected"
                        + " letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. containers)"),
                arguments("{'update_agent':{'system_containers':['ok','containers:sua']}}",
                        "update_agent.system_containers[1]: \"containers:sua\" is not a container name (expected letters,"
                                + " digits, '_', '.' and '-')"),
                arguments("{'things':{'device_id':'gateway1','tenant_id':'t'}}", "things.device_id: \"gateway1\" is not a"
                        + " device id (expected <namespace>:<name>, e.g. org.example:gateway-1)"),
                arguments("{'things':{'device_id':'org.example:gw/1','tenant_id':'t'}}", "things.device_id:"
                        + " \"org.example:gw/1\" is not a device id (expected <namespace>:<name>, e.g. org.example:gateway-1)"),
                arguments("{'things':{'device_id':'org.example:gw','tenant_id':'t/1'}}", "things.tenant_id: \"t/1\" is not"
                        + " a tenant id (no spaces, '/', '+' or '#': it is part of a topic)"),
                arguments("{'things':{'device_id':'org.example:gw'}}", "things.tenant_id: is needed when device_id is set"
                        + " (twin events go to e/<tenant_id>/<thing id>)"),
                arguments("{'things':{'tenant_id':'t1'}}", "things.device_id: is needed when tenant_id is set"),
                arguments("{'things':{'bridge_state_topic':'bridges/#/state'}}", "things.bridge_state_topic:"
                        + " \"bridges/#/state\" is not an MQTT topic filter ('#' must be the whole last level)"),
                arguments("{'things':{'bridge_state_topic':'bridges/cloud+/state'}}", "things.bridge_state_topic:"
                        + " \"bridges/cloud+/state\" is not an MQTT topic filter ('+' must be a whole level)"),
                arguments("{'things':{'bridge_state_topic':7}}", "things.bridge_state_topic: expected a string, got a number (7)"),
                // credentials and TLS without their partner
                arguments("{'connection':{'client_password':'pw'}}", "connection.client_password: is set but"
                        + " client_username is empty (the password is only sent with a user name)"),
                arguments("{'registries':{'r:5000':{'credentials':{'password':'pw'}}}}",
                        "registries[\"r:5000\"].credentials.password: is set but user_id is empty"),
                arguments("{'registries':{'r:5000':{'credentials':{'user_id':'u'}}}}",
                        "registries[\"r:5000\"].credentials.password: is empty but user_id is set"),
                // paths
                arguments("{'state_dir':'var/lib/gantry'}", "state_dir: \"var/lib/gantry\" is not an absolute path"),
                arguments("{'deployment':{'directory':'containers'}}",
                        "deployment.directory: \"containers\" is not an absolute path"),
                arguments("{'log':{'log_file':'gantry.log'}}",
                        "log.log_file: \"gantry.log\" is not an absolute path (or \"\" for stdout)"),
                arguments("{'log':{'log_file':'/tmp'}}", "log.log_file: \"/tmp\" is a directory, not a file"),
                arguments("{'log':{'log_file_count':0}}", "log.log_file_count: must be at least 1"),
                arguments("{'connection':{'broker_url':'ssl://b:8883','transport':{'root_ca':'ca.pem'}}}",
                        "connection.transport.root_ca: \"ca.pem\" is not an absolute path"),
                arguments("{'connection':{'broker_url':'ssl://b:8883','transport':{'root_ca':'/nonexistent/ca.pem'}}}",
                        "connection.transport.root_ca: \"/nonexistent/ca.pem\" does not exist"),
                arguments("{'connection':{'broker_url':'ssl://b:8883','transport':{'root_ca':'/tmp'}}}",
                        "connection.transport.root_ca: \"/tmp\" is not a file"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("rejections")
    void rejections_nameThePathAndWhatWasExpected(String config, String expected) {
        assertThat(problems(config)).containsExactly(expected);
    }

    @Test
    void everyProblem_isReportedAtOnce_inTheOrderOfTheDefaultFile() {
        assertThat(problems("""
                {
                  'state_dir': 'relative',
                  'connection': {'keep_alive': '20x', 'brokr_url': 'tcp://x:1', 'broker_url': 'http://x:1'},
                  'log': {'log_level': 'loud'},
                  'things': {'features': ['Metrics', 'Bogus'], 'enable': 'yes'},
                  'extra': 1
                }
                """)).containsExactly(
                "log.log_level: \"LOUD\" is not a log level (expected ERROR, WARN, INFO, DEBUG or TRACE)",
                "connection.broker_url: \"http://x:1\" has scheme http (expected tcp, mqtt, ssl, tls, mqtts, mqtt+ssl,"
                        + " tcps, ws or wss)",
                "connection.keep_alive: \"20x\" is not a duration (e.g. 20s, 1m)",
                "connection.brokr_url: unknown key (did you mean broker_url?)",
                "things.enable: expected true or false, got a string (\"yes\")",
                "things.features[1]: \"Bogus\" is not a feature (expected ContainerFactory, SoftwareUpdatable, Metrics, Gantry)",
                "state_dir: \"relative\" is not an absolute path",
                "extra: unknown key (expected one of: log, connection, things, update_agent, metrics, engine,"
                        + " registries, deployment, policy, trust, dashboard, state_dir, time_sync)");
    }

    @Test
    void exceptionMessage_namesTheSourceAndListsOneProblemPerLine() {
        assertThatThrownBy(() -> ConfigLoader.parse(json("{'connection':{'keep_alive':'20x','brokr_url':''}}"),
                "/etc/gantry/config.json"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("""
                        /etc/gantry/config.json: 2 problems
                        connection.keep_alive: "20x" is not a duration (e.g. 20s, 1m)
                        connection.brokr_url: unknown key (did you mean broker_url?)""");
    }

    @Test
    void aKeyThatFailsToRead_doesNotCauseASecondProblemAboutItsNeighbours() {
        // broker_url cannot be read, so the TLS-without-TLS-scheme rule, which reads it, stays quiet.
        assertThat(problems("{'connection':{'broker_url':7,'transport':{'root_ca':'/nonexistent.pem'}}}"))
                .containsExactly("connection.broker_url: expected a string, got a number (7)",
                        "connection.transport.root_ca: \"/nonexistent.pem\" does not exist");
    }

    @Test
    void secrets_neverAppearInProblems() {
        List<String> all = problems("{'connection':{'broker_url':'tcp://u:hunter2@b:1','client_password':'hunter2'},"
                + "'registries':{'r:5000':{'credentials':{'password':'hunter2'}}}}");
        assertThat(all).hasSize(3).noneMatch(p -> p.contains("hunter2"));
    }

    // --- syntax ------------------------------------------------------------------------------------------------

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                arguments("{'connection':{'keep_alive':'20s' 'x':1}}",
                        "syntax error at line 1, column 35: Unexpected character ('\"'): was expecting comma to"
                                + " separate Object entries"),
                arguments("{\n  'log': {\n    'log_level': 'INFO',\n    'log_level': 'DEBUG'\n  }\n}",
                        "syntax error at line 4, column 16: duplicate key \"log_level\""),
                arguments("{'log':{}} {}", "syntax error at line 1, column 12: more content after the closing } of the"
                        + " configuration"),
                arguments("{'log':", "syntax error at line 1, column 8: Unexpected end-of-input within/between Object"
                        + " entries"),
                arguments("{log: {}}", "syntax error at line 1, column 2: Unexpected character ('l'): was expecting"
                        + " double-quote to start field name"),
                arguments("[]", "expected a JSON object ({ … }), got an array"),
                arguments("'config'", "expected a JSON object ({ … }), got a string (\"config\")"),
                arguments("", "file is empty (expected a JSON object, e.g. {} for all defaults)"),
                arguments("  \n ", "file is empty (expected a JSON object, e.g. {} for all defaults)"),
                arguments("// only a comment\n", "file is empty (expected a JSON object, e.g. {} for all defaults)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("syntaxErrors")
    void syntaxErrors_nameLineAndColumn(String config, String expected) {
        assertThat(problems(config)).containsExactly(expected);
    }

    // --- files -------------------------------------------------------------------------------------------------

    @Test
    void load_explicitFileMissing_isAProblem() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ConfigLoader.load(missing)).isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": 1 problem\nfile not found");
    }

    @Test
    void loadOrDefaults_fileMissing_givesTheDefaults() throws ConfigException {
        assertThat(ConfigLoader.loadOrDefaults(dir.resolve("nope.json"))).isSameAs(AgentConfig.DEFAULTS);
    }

    @Test
    void loadOrDefaults_emptyFile_isStillAProblem() throws IOException {
        Path empty = Files.createFile(dir.resolve("config.json"));
        assertThatThrownBy(() -> ConfigLoader.loadOrDefaults(empty)).isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).problems())
                .asList().containsExactly(new ConfigProblem("", "file is empty (expected a JSON object, e.g. {} for all defaults)"));
    }

    @Test
    void load_directory_isAProblem() {
        assertThatThrownBy(() -> ConfigLoader.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": 1 problem\nis a directory, not a file");
    }

    @Test
    void load_hugeFile_isRefusedUnread() throws IOException {
        Path huge = dir.resolve("huge.json");
        Files.write(huge, new byte[ConfigLoader.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> ConfigLoader.load(huge))
                .hasMessage(huge + ": 1 problem\nis larger than 1 MiB; this is not a configuration file");
    }

    @Test
    void load_readsAFile() throws IOException, ConfigException {
        Path file = Files.writeString(dir.resolve("config.json"), json("{'log':{'log_level':'WARN'}}"));
        assertThat(ConfigLoader.load(file).log().logLevel()).isEqualTo("WARN");
    }

    @Test
    void tlsFiles_mustExistAndBePem_andComeInPairs() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        Path notPem = Files.writeString(dir.resolve("cert.txt"), "hello");
        String config = String.format("{'connection':{'broker_url':'mqtts://b:8883','transport':{'root_ca':'%s',"
                + "'client_cert':'%s'}}}", ca, notPem);
        assertThat(problems(config)).containsExactly(
                "connection.transport.client_cert: \"" + notPem + "\" is not a PEM file (no -----BEGIN line)");

        String pair = String.format("{'connection':{'broker_url':'mqtts://b:8883','transport':{'client_cert':'%s'}}}", ca);
        assertThat(problems(pair)).containsExactly("connection.transport.client_key: is needed when client_cert is set");
        String keyOnly = String.format("{'connection':{'broker_url':'mqtts://b:8883','transport':{'client_key':'%s'}}}", ca);
        assertThat(problems(keyOnly)).containsExactly("connection.transport.client_cert: is needed when client_key is set");
        String good = String.format("{'connection':{'broker_url':'mqtts://b:8883','transport':{'root_ca':'%s',"
                + "'client_cert':'%s','client_key':'%s'}}}", ca, ca, ca);
        assertThat(problems(good)).isEmpty();
    }

    @Test
    void tlsFiles_withAPlainBrokerUrl_meanNothing_andAreReported() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(problems(String.format("{'connection':{'transport':{'root_ca':'%s'}}}", ca))).containsExactly(
                "connection.transport: TLS files are set but broker_url \"tcp://localhost:1883\" does not use TLS (use"
                        + " ssl://, mqtts:// or wss://)");
    }

    @Test
    void registryTls_onAnInsecureRegistry_isReported() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        assertThat(problems(String.format("{'registries':{'r:5000':{'insecure':true,'transport':{'root_ca':'%s'}}}}", ca)))
                .containsExactly("registries[\"r:5000\"].transport: is not used: the registry is marked insecure (plain"
                        + " HTTP or unverified TLS)");
    }

    @Test
    void existingPaths_thatAreNotDirectories_areReported() throws IOException {
        Path file = Files.createFile(dir.resolve("plain"));
        assertThat(problems(String.format("{'state_dir':'%s','deployment':{'directory':'%s'}}", file, file)))
                .containsExactly("deployment.directory: \"" + file + "\" is not a directory",
                        "state_dir: \"" + file + "\" is not a directory");
    }

    @Test
    void validate_checksAConfigBuiltInCode() {
        assertThat(ConfigLoader.validate(AgentConfig.DEFAULTS)).isEmpty();
        AgentConfig bad = new AgentConfig(new LoggingConfig("LOUD", "", ByteSize.ofMebibytes(1), 1),
                ConnectionConfig.DEFAULTS, ThingsConfig.DEFAULTS, UpdateAgentConfig.DEFAULTS, MetricsConfig.DEFAULTS,
                EngineConfig.DEFAULTS, java.util.Map.of(), DeploymentConfig.DEFAULTS, PolicyConfig.DEFAULTS,
                TrustConfig.DEFAULTS, Path.of("/var/lib/gantry"));
        assertThat(ConfigLoader.validate(bad)).extracting(ConfigProblem::path).containsExactly("log.log_level");
    }
}
