package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortMappingTest {

    @ParameterizedTest(name = "{0} -> {1}:{2}-{3}:{4}/{5}")
    @CsvSource(delimiter = '|', textBlock = """
            80:80                            | 0.0.0.0     | 80    | 80    | 80    | TCP
            80:80/tcp                        | 0.0.0.0     | 80    | 80    | 80    | TCP
            80:80/                           | 0.0.0.0     | 80    | 80    | 80    | TCP
            53:53/udp                        | 0.0.0.0     | 53    | 53    | 53    | UDP
            53:53/UDP                        | 0.0.0.0     | 53    | 53    | 53    | UDP
            9000:9000/sctp                   | 0.0.0.0     | 9000  | 9000  | 9000  | SCTP
            5000-6000:80/udp                 | 0.0.0.0     | 5000  | 6000  | 80    | UDP
            127.0.0.1:8080:80                | 127.0.0.1   | 8080  | 8080  | 80    | TCP
            localhost:8080:80                | 127.0.0.1   | 8080  | 8080  | 80    | TCP
            localhost:55555-55556:30555/tcp  | 127.0.0.1   | 55555 | 55556 | 30555 | TCP
            localhost:55555:30555-30555/tcp  | 127.0.0.1   | 55555 | 55555 | 30555 | TCP
            8080:80-80                       | 0.0.0.0     | 8080  | 8080  | 80    | TCP
            0.0.0.0:8080:80                  | 0.0.0.0     | 8080  | 8080  | 80    | TCP
            127.0.0.1::80                    | 127.0.0.1   | 0     | 0     | 80    | TCP
            80                               | 0.0.0.0     | 0     | 0     | 80    | TCP
            80/udp                           | 0.0.0.0     | 0     | 0     | 80    | UDP
            [::1]:8080:80                    | ::1         | 8080  | 8080  | 80    | TCP
            [fe80::1%eth0]:8080:80           | fe80::1%eth0| 8080  | 8080  | 80    | TCP
            [::1]::80                        | ::1         | 0     | 0     | 80    | TCP
            ' 8080:80 '                      | 0.0.0.0     | 8080  | 8080  | 80    | TCP
            65535:1                          | 0.0.0.0     | 65535 | 65535 | 1     | TCP
            """)
    void parse_acceptedForms(String text, String ip, int hostPort, int hostPortEnd, int containerPort, Protocol protocol) {
        assertThat(PortMapping.parse(text)).isEqualTo(new PortMapping(ip, hostPort, hostPortEnd, containerPort, protocol));
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                      | invalid port mapping "": it is empty
            ' '                     | invalid port mapping " ": it is empty
            80:80/icmp              | invalid port mapping "80:80/icmp": protocol "icmp" is not tcp, udp or sctp
            http:80                 | invalid port mapping "http:80": host port "http" is not a number from 1 to 65535
            80:http                 | invalid port mapping "80:http": container port "http" is not a number from 1 to 65535
            80:0                    | invalid port mapping "80:0": container port 0 is not from 1 to 65535
            70000:80                | invalid port mapping "70000:80": host port 70000 is not from 1 to 65535
            80:123456               | invalid port mapping "80:123456": container port "123456" is not a number from 1 to 65535
            6000-5000:80            | invalid port mapping "6000-5000:80": host port range 6000-5000 ends before it starts
            5000-:80                | invalid port mapping "5000-:80": host port range end "" is not a number from 1 to 65535
            -5000:80                | invalid port mapping "-5000:80": host port "" is not a number from 1 to 65535
            1.2.3.4.5:80:80         | invalid port mapping "1.2.3.4.5:80:80": host IP "1.2.3.4.5" is not an IP address
            gateway:80:80           | invalid port mapping "gateway:80:80": host IP "gateway" is not an IP address
            256.0.0.1:80:80         | invalid port mapping "256.0.0.1:80:80": host IP "256.0.0.1" is not an IP address
            a:b:c:d                 | invalid port mapping "a:b:c:d": expected [host-ip:]host-port[-end]:container-port[/protocol]
            ::1:8080:80             | invalid port mapping "::1:8080:80": expected [host-ip:]host-port[-end]:container-port[/protocol]
            [::1:8080:80            | invalid port mapping "[::1:8080:80": an IPv6 host address must be written [address]:port:port
            [::1]:80                | invalid port mapping "[::1]:80": an IPv6 host address must be written [address]:host-port:container-port
            [1:2]:80:80             | invalid port mapping "[1:2]:80:80": host IP "1:2" is not an IP address
            [1:2:3]:80:80           | invalid port mapping "[1:2:3]:80:80": host IP "1:2:3" is not an IP address
            8080:80-81              | invalid port mapping "8080:80-81": a container port range (80-81) is not supported: map one container port
            8080:80-                | invalid port mapping "8080:80-": container port range end "" is not a number from 1 to 65535
            '80 : 80'               | invalid port mapping "80 : 80": host port "80 " is not a number from 1 to 65535
            """)
    void parse_rejectsWhatKantoDrops_namingTheValue(String text, String message) {
        assertThatThrownBy(() -> PortMapping.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void parse_null_isRejected() {
        assertThatThrownBy(() -> PortMapping.parse(null)).hasMessage("invalid port mapping \"null\": it is empty");
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            80:80                 | 80:80/tcp
            5000-6000:80/udp      | 5000-6000:80/udp
            127.0.0.1:8080:80     | 127.0.0.1:8080:80/tcp
            0.0.0.0:8080:80       | 8080:80/tcp
            5000-5000:80          | 5000:80/tcp
            80                    | 80/tcp
            127.0.0.1::80         | 127.0.0.1:80/tcp
            [::1]:8080:80/udp     | [::1]:8080:80/udp
            """)
    void toString_isKantosCanonicalInventoryForm(String text, String canonical) {
        assertThat(PortMapping.parse(text)).hasToString(canonical);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            80:80/tcp
            5000-6000:80/udp
            127.0.0.1:8080:80/tcp
            [::1]:8080:80/udp
            """)
    void toString_parsesBackToTheSameMapping(String canonical) {
        PortMapping mapping = PortMapping.parse(canonical);
        assertThat(PortMapping.parse(mapping.toString())).isEqualTo(mapping);
    }

    @Test
    void sortOrder_isByContainerPortThenProtocolThenHostIp() {
        List<PortMapping> ports = new ArrayList<>(List.of(PortMapping.parse("9090:90/udp"), PortMapping.parse("8080:80"),
                PortMapping.parse("9090:90"), PortMapping.parse("127.0.0.1:8081:80")));
        Collections.sort(ports);
        assertThat(ports).extracting(PortMapping::toString)
                .containsExactly("8080:80/tcp", "127.0.0.1:8081:80/tcp", "9090:90/tcp", "9090:90/udp");
    }

    @Test
    void of_isAnyAddressTcp() {
        assertThat(PortMapping.of(8080, 80)).isEqualTo(PortMapping.parse("8080:80/tcp"));
        assertThat(PortMapping.of(8080, 80).isRange()).isFalse();
        assertThat(PortMapping.parse("1-2:3").isRange()).isTrue();
    }
}
