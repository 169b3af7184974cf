package io.gantry.app.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker's behaviour when its optional jars are not installed, as in the Debian package. */
class EmbeddedBrokerTest {

    @TempDir
    Path dir;

    @Test
    void start_withoutTheBrokerClasses_failsWithOneClearLine() throws Exception {
        List<String> asked = new ArrayList<>();
        EmbeddedBroker broker = new EmbeddedBroker(1883, dir, name -> {
            asked.add(name);
            return false;
        });

        assertThatThrownBy(broker::start)
                .isInstanceOf(EmbeddedBrokerException.class)
                .hasMessage("the embedded broker is not part of this installation;"
                        + " use an external broker (connection.broker_url)")
                .hasNoCause();
        assertThat(asked).containsExactly("com.hivemq.embedded.EmbeddedHiveMQ");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void isAvailable_withTheOptionalDependencyOnTheClasspath_isTrue() {
        assertThat(EmbeddedBroker.isAvailable()).isTrue();
    }

    @Test
    void url_isLoopbackOnTheGivenPort() {
        EmbeddedBroker broker = EmbeddedBroker.of(11883, dir);

        assertThat(broker.url()).isEqualTo("tcp://127.0.0.1:11883");
        assertThat(broker.port()).isEqualTo(11883);
    }

    @Test
    void of_portOutOfRange_isRejected() {
        assertThatThrownBy(() -> EmbeddedBroker.of(0, dir)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedBroker.of(65536, dir)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stop_whenNotStarted_doesNothing() {
        EmbeddedBroker.of(EmbeddedBroker.DEFAULT_PORT, dir).stop();
    }
}
