package io.gantry.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BrokerAddressTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            tcp://localhost:1883          | localhost        | 1883 | false | false | ''
            tcp://localhost               | localhost        | 1883 | false | false | ''
            mqtt://broker.lan             | broker.lan       | 1883 | false | false | ''
            TCP://Broker:1884             | Broker           | 1884 | false | false | ''
            ssl://localhost               | localhost        | 8883 | true  | false | ''
            tls://localhost:8884          | localhost        | 8884 | true  | false | ''
            mqtts://localhost             | localhost        | 8883 | true  | false | ''
            mqtt+ssl://localhost          | localhost        | 8883 | true  | false | ''
            tcps://10.0.0.1:9000          | 10.0.0.1         | 9000 | true  | false | ''
            ws://localhost                | localhost        | 80   | false | true  | ''
            ws://localhost:9001/mqtt      | localhost        | 9001 | false | true  | mqtt
            wss://cloud.example:443/a/b   | cloud.example    | 443  | true  | true  | a/b
            wss://cloud.example           | cloud.example    | 443  | true  | true  | ''
            tcp://[::1]:1883              | ::1              | 1883 | false | false | ''
            tcp://[fe80::1]               | fe80::1          | 1883 | false | false | ''
            tcp://my_mosquitto_1:1883     | my_mosquitto_1   | 1883 | false | false | ''
            '  tcp://localhost:1883  '    | localhost        | 1883 | false | false | ''
            """)
    void parse_readsSchemeHostPortAndPath(String url, String host, int port, boolean tls, boolean websocket,
                                          String path) {
        BrokerAddress address = BrokerAddress.parse(url);

        assertThat(address.host()).isEqualTo(host);
        assertThat(address.port()).isEqualTo(port);
        assertThat(address.tls()).isEqualTo(tls);
        assertThat(address.websocket()).isEqualTo(websocket);
        assertThat(address.path()).isEqualTo(path);
        assertThat(address.toString()).isEqualTo(url.trim());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                          | empty
            localhost:1883              | needs a scheme
            http://localhost:1883       | scheme must be one of
            tcp://                      | host is missing
            tcp://:1883                 | host is missing
            tcp://localhost:0           | out of range
            tcp://localhost:70000       | out of range
            tcp://localhost:mqtt        | is not a port
            tcp://user:pw@localhost     | client_username
            tcp://localhost:1883/path   | only ws and wss
            tcp://[::1:1883             | closing ]
            tcp://[::1]x                | after the IPv6 address
            """)
    void parse_badUrl_saysWhatIsWrong(String url, String expected) {
        assertThatThrownBy(() -> BrokerAddress.parse(url))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }
}
