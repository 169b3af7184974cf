package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceMappingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /dev/ttyACM0:/dev/ttyUSB0        | /dev/ttyACM0:/dev/ttyUSB0:rwm
            /dev/ttyACM0:/dev/ttyUSB0:r      | /dev/ttyACM0:/dev/ttyUSB0:r
            /dev/ttyACM0:/dev/ttyUSB0:mw     | /dev/ttyACM0:/dev/ttyUSB0:wm
            /dev/ttyACM0:/dev/ttyUSB0:rrw    | /dev/ttyACM0:/dev/ttyUSB0:rw
            /dev/i2c-1                       | /dev/i2c-1:/dev/i2c-1:rwm
            /dev/i2c-1::rw                   | /dev/i2c-1:/dev/i2c-1:rw
            /dev/i2c-1:rw                    | /dev/i2c-1:/dev/i2c-1:rw
            ' /dev/a:/dev/b '                | /dev/a:/dev/b:rwm
            """)
    void parse_acceptedForms_printCanonically(String text, String canonical) {
        DeviceMapping device = DeviceMapping.parse(text);
        assertThat(device).hasToString(canonical);
        assertThat(DeviceMapping.parse(canonical)).isEqualTo(device);
    }

    @ParameterizedTest(name = "\"{0}\": {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                    | invalid device mapping "": it is empty
            /dev/a:/dev/b:rwx     | invalid device mapping "/dev/a:/dev/b:rwx": cgroup permissions "rwx" must be one to three of r, w, m
            /dev/a:/dev/b:rwmr    | invalid device mapping "/dev/a:/dev/b:rwmr": cgroup permissions "rwmr" must be one to three of r, w, m
            /dev/a:/dev/b:        | invalid device mapping "/dev/a:/dev/b:": cgroup permissions "" must be one to three of r, w, m
            :/dev/b               | invalid device mapping ":/dev/b": both path on the host and in the container must be specified for a device mapping
            dev/a:/dev/b          | invalid device mapping "dev/a:/dev/b": device paths must be absolute
            /dev/a:dev/b          | invalid device mapping "/dev/a:dev/b": device paths must be absolute
            /dev/a:/dev/b:rw:x    | invalid device mapping "/dev/a:/dev/b:rw:x": expected /dev/host[:/dev/container[:rwm]]
            """)
    void parse_rejectsWhatKantoDrops_namingTheValue(String text, String message) {
        assertThatThrownBy(() -> DeviceMapping.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @CsvSource({"wr,rw", "mwr,rwm", "mm,m"})
    void permissions_areNormalisedSoThatEqualMeaningIsEqual(String given, String canonical) {
        assertThat(new DeviceMapping("/dev/a", "/dev/a", given)).isEqualTo(new DeviceMapping("/dev/a", "/dev/a", canonical));
    }
}
