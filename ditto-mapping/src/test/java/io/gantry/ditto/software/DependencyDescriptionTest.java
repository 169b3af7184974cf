package io.gantry.ditto.software;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.Container;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ContainerState;
import io.gantry.core.container.ImageRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DependencyDescriptionTest {

    /** installedDependencies keys and values with Kanto's quirks (kanto-things §3.3, statement 44). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            docker.io/library/influxdb:1.8.4 | docker.io%2Flibrary%2Finfluxdb.C:1.8.4 | {"group":"docker.io/library/influxdb","name":"C","version":"1.8.4"}
            localhost:5000/app:1.0           | localhost.C:5000%2Fapp:1.0             | {"group":"localhost","name":"C","version":"5000/app:1.0"}
            hello-world                      | hello-world.C:                         | {"group":"hello-world","name":"C","version":""}
            """)
    void keyAndValue(String image, String key, String json) {
        ImageRef ref = ImageRef.parse(image);
        Container c = new Container(ContainerId.of("C"), new ContainerName("x"), ref, "sha256:x",
                ContainerSpec.builder(ref).buildAsReported(), ContainerState.created(), Instant.EPOCH, true, Map.of());

        DependencyDescription d = DependencyDescription.of(c);

        assertThat(d.key()).isEqualTo(key);
        assertThat(d.toJson().toString()).isEqualTo(json);
        assertThat(SoftwareUpdatableFeature.installedDependencies(List.of(c)).orElseThrow().get(key).toString())
                .isEqualTo(json);
    }
}
