package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InsecureRegistriesTest {

    private static final String DAEMON = "{\"InsecureRegistryCIDRs\":[\"127.0.0.0/8\",\"10.20.0.0/16\",\"fd00::/8\"],"
            + "\"IndexConfigs\":{\"docker.io\":{\"Name\":\"docker.io\",\"Secure\":true},"
            + "\"registry.lan:5000\":{\"Name\":\"registry.lan:5000\",\"Secure\":false}}}";

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1:5000, true",
            "10.20.30.40:443, true",
            "10.21.0.1:5000, false",
            "[fd00::1]:5000, true",
            "registry.lan:5000, true",
            "docker.io, false",
            "192.168.1.10, false"})
    void allowed_followsTheDaemonsNamesAndCidrs(String registry, boolean allowed) throws IOException {
        assertThat(InsecureRegistries.allowed(registry, new ObjectMapper().readTree(DAEMON))).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8, 10.255.1.2, true", "10.0.0.0/8, 11.0.0.1, false", "10.1.2.3/32, 10.1.2.3, true",
            "0.0.0.0/0, 8.8.8.8, true", "::1/128, ::1, true", "10.0.0.0/8, ::1, false", "garbage, 10.0.0.1, false"})
    void contains_checksThePrefix(String cidr, String address, boolean expected) throws IOException {
        assertThat(InsecureRegistries.contains(cidr, InetAddress.getByName(address))).isEqualTo(expected);
    }
}
