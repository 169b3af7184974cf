package io.gantry.ditto.feature;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ContainerStatus;
import io.gantry.core.container.Health;
import io.gantry.core.container.ImageRef;
import io.gantry.kanto.json.Rfc3339;
import io.gantry.core.twin.TwinContainer;
import io.gantry.core.twin.TwinStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerFeatureMapperTest {

    private static final Instant STARTED = Instant.parse("2024-06-28T07:35:21Z");
    private static final Instant FINISHED = Instant.parse("2024-06-28T07:36:00.5Z");

    private static TwinContainer container(ContainerState state, boolean stopped) {
        ImageRef image = ImageRef.parse("docker.io/library/influxdb:1.8.4");
        return TwinContainer.of(new Container(ContainerId.of("c1"), new ContainerName("db"), image, "sha256:x",
                ContainerSpec.builder(image).buildAsReported(), state, STARTED, false, Map.of()), stopped);
    }

    /** status.state per engine state (kanto-things §3.2): pid -1 without a process, zero values left out. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            CREATED | 0    | 0   | ''                | false | false | {"status":"CREATED","pid":-1}
            RUNNING | 4242 | 0   | ''                | false | false | {"status":"RUNNING","pid":4242,"startedAt":"2024-06-28T07:35:21Z"}
            PAUSED  | 4242 | 0   | ''                | false | false | {"status":"PAUSED","pid":4242,"startedAt":"2024-06-28T07:35:21Z"}
            EXITED  | 0    | 143 | ''                | false | true  | {"status":"STOPPED","pid":-1,"exitCode":143,"startedAt":"2024-06-28T07:35:21Z","finishedAt":"2024-06-28T07:36:00.5Z"}
            EXITED  | 0    | 137 | ''                | true  | false | {"status":"EXITED","pid":-1,"exitCode":137,"startedAt":"2024-06-28T07:35:21Z","finishedAt":"2024-06-28T07:36:00.5Z","oomKilled":true}
            EXITED  | 0    | 127 | exec: not found   | false | false | {"status":"EXITED","pid":-1,"error":"exec: not found","exitCode":127,"startedAt":"2024-06-28T07:35:21Z","finishedAt":"2024-06-28T07:36:00.5Z"}
            DEAD    | 0    | 0   | ''                | false | false | {"status":"DEAD","pid":-1}
            """)
    void state(ContainerStatus status, long pid, long exitCode, String error, boolean oomKilled, boolean stopped,
               String json) {
        boolean ran = status != ContainerStatus.CREATED && status != ContainerStatus.DEAD;
        boolean ended = status == ContainerStatus.EXITED;
        ContainerState state = new ContainerState(status, pid, exitCode, error,
                ran ? Optional.of(STARTED) : Optional.empty(), ended ? Optional.of(FINISHED) : Optional.empty(),
                oomKilled, 0, Health.NONE);

        assertThat(ContainerFeatureMapper.state(container(state, stopped)).toString()).isEqualTo(json);
    }

    @Test
    void config_ofAHandMadeContainer_leavesOutOnlyTheEnginesDefaultHostName() {
        ImageRef image = ImageRef.parse("busybox");
        String id = "ab".repeat(32);
        ContainerSpec byEngine = ContainerSpec.builder(image).hostname(id.substring(0, 12)).buildAsReported();
        ContainerSpec byHand = ContainerSpec.builder(image).hostname("gw").buildAsReported();

        assertThat(ContainerFeatureMapper.config(handMade(id, byEngine)).has("hostName")).isFalse();
        assertThat(ContainerFeatureMapper.config(handMade(id, byHand)).path("hostName").asText()).isEqualTo("gw");
    }

    private static TwinContainer handMade(String id, ContainerSpec spec) {
        return TwinContainer.of(new Container(ContainerId.of(id), new ContainerName("by-hand"), spec.image(), "sha256:x",
                spec, ContainerState.created(), STARTED, false, Map.of()), false);
    }

    @ParameterizedTest
    @CsvSource({"RESTARTING, EXITED", "REMOVING, DEAD", "DEAD, DEAD", "RUNNING, RUNNING"})
    void dockerOnlyStatuses_mapToKantos(ContainerStatus docker, TwinStatus twin) {
        assertThat(TwinStatus.of(docker, false)).isEqualTo(twin);
    }

    @ParameterizedTest
    @CsvSource({"2024-06-28T07:35:21.123456789Z, 2024-06-28T07:35:21.123456789Z",
            "2024-06-28T07:35:21.120Z, 2024-06-28T07:35:21.12Z", "2024-06-28T07:35:21Z, 2024-06-28T07:35:21Z",
            "2024-06-28T07:35:21.000000001Z, 2024-06-28T07:35:21.000000001Z"})
    void timestamps_areGoRfc3339Nano(Instant instant, String text) {
        assertThat(Rfc3339.format(instant)).isEqualTo(text);
    }
}
