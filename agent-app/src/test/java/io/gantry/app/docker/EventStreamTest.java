package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.container.ContainerEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Optional<ContainerEvent> map(String action, String type) throws IOException {
        return EventStream.toEvent(JSON.readTree("{\"Type\":\"" + type + "\",\"Action\":\"" + action + "\","
                + "\"Actor\":{\"ID\":\"abc123\",\"Attributes\":{\"name\":\"web\",\"exitCode\":\"3\",\"signal\":\"15\","
                + "\"io.gantry.spec\":\"{...}\",\"com.example\":\"x\"}},\"time\":1700000000,"
                + "\"timeNano\":1700000000123456789}"));
    }

    @ParameterizedTest
    @CsvSource({
            "create, CREATED", "start, STARTED", "restart, STARTED", "kill, KILLED", "die, DIED", "stop, STOPPED",
            "pause, PAUSED", "unpause, RESUMED", "rename, RENAMED", "update, UPDATED", "destroy, REMOVED",
            "remove, REMOVED",
            "oom, OUT_OF_MEMORY", "'health_status: healthy', HEALTH_CHANGED"})
    void toEvent_mapsDockerAndPodmanActions(String action, ContainerEvent.Kind kind) throws IOException {
        ContainerEvent event = map(action, "container").orElseThrow();

        assertThat(event.kind()).isEqualTo(kind);
        assertThat(event.id().value()).isEqualTo("abc123");
        assertThat(event.time()).isEqualTo(Instant.ofEpochSecond(1700000000L, 123456789L));
    }

    @ParameterizedTest
    @CsvSource({"'exec_create: sh -c true', container", "exec_die, container", "attach, container",
            "resize, container", "top, container", "create, network", "pull, image"})
    void toEvent_dropsWhatGantryDoesNotReactTo(String action, String type) throws IOException {
        assertThat(map(action, type)).isEmpty();
    }

    @Test
    void toEvent_keepsUsefulAttributesButNotLabels() throws IOException {
        ContainerEvent event = map("die", "container").orElseThrow();

        assertThat(event.attributes()).containsOnlyKeys("name", "exitCode", "signal");
        assertThat(event.attribute("exitCode")).contains("3");
    }

    @Test
    void toEvent_healthStatus_carriesTheHealth() throws IOException {
        assertThat(map("health_status: unhealthy", "container").orElseThrow().attribute("health")).contains("unhealthy");
    }

    @Test
    void toEvent_withoutAnId_isDropped() throws IOException {
        assertThat(EventStream.toEvent(JSON.readTree("{\"Type\":\"container\",\"Action\":\"start\"}"))).isEmpty();
    }
}
