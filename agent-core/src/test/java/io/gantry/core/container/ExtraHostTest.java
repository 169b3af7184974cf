package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExtraHostTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            db:10.0.0.5                 | db         | 10.0.0.5             | false | -    | -
            db.local:::1                | db.local   | ::1                  | false | -    | -
            v6:2001:db8::1              | v6         | 2001:db8::1          | false | -    | -
            mapped:::ffff:192.0.2.1     | mapped     | ::ffff:192.0.2.1     | false | -    | -
            gw:host-gateway             | gw         | host-gateway         | false | -    | -
            ctrhost:host_ip             | ctrhost    | host_ip              | true  | -    | -
            ctrhost:host_ip_eth0        | ctrhost    | host_ip_eth0         | true  | eth0 | -
            peer:container_influxdb     | peer       | container_influxdb   | false | -    | influxdb
            ' a_b:1.2.3.4 '             | a_b        | 1.2.3.4              | false | -    | -
            """)
    void parse_addressesAndKantosReservedForms(String text, String hostname, String address, boolean usesHostIp,
                                               String iface, String container) {
        ExtraHost host = ExtraHost.parse(text);
        assertThat(host).isEqualTo(new ExtraHost(hostname, address));
        assertThat(host.usesHostIp()).isEqualTo(usesHostIp);
        assertThat(host.hostInterface()).isEqualTo(Optional.ofNullable(iface));
        assertThat(host.containerReference()).isEqualTo(Optional.ofNullable(container));
        assertThat(ExtraHost.parse(host.toString())).isEqualTo(host);
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', textBlock = """
            db                  | invalid extra host "db": expected name:address
            :10.0.0.5           | invalid extra host ":10.0.0.5": expected name:address
            db:                 | invalid extra host "db:": "" is not an IP address, host_ip, host_ip_<interface> or container_<name>
            db:database.local   | invalid extra host "db:database.local": "database.local" is not an IP address, host_ip, host_ip_<interface> or container_<name>
            db:1:2              | invalid extra host "db:1:2": "1:2" is not an IP address, host_ip, host_ip_<interface> or container_<name>
            db:1:2:3            | invalid extra host "db:1:2:3": "1:2:3" is not an IP address, host_ip, host_ip_<interface> or container_<name>
            db:::::             | invalid extra host "db:::::": "::::" is not an IP address, host_ip, host_ip_<interface> or container_<name>
            db:300.1.1.1        | invalid extra host "db:300.1.1.1": "300.1.1.1" is not an IP address, host_ip, host_ip_<interface> or container_<name>
            -db:10.0.0.5        | invalid extra host "-db:10.0.0.5": "-db" is not a host name
            my db:10.0.0.5      | invalid extra host "my db:10.0.0.5": "my db" is not a host name
            """)
    void parse_rejectsNamingTheValueAndTheExpectedForm(String text, String message) {
        assertThatThrownBy(() -> ExtraHost.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void parse_null_isRejected() {
        assertThatThrownBy(() -> ExtraHost.parse(null)).hasMessage("invalid extra host \"null\": expected name:address");
    }
}
