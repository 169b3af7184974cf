package io.gantry.kanto.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gantry.core.container.ContainerSpec;
import io.gantry.core.golden.KantoCases;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kanto's container descriptors ({@code kanto-cases/kanto-cm/container/}, {@code integration/}) as Gantry reads them. */
class KantoDescriptorCasesTest {

    private static byte[] file(String name) throws IOException {
        return Files.readAllBytes(KantoCases.folder().resolve("kanto-cm").resolve(name));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "container/valid.json,                 influxdb,                   docker.io/library/influxdb:1.8.4",
            "container/nested/container-config.json, redis,                    docker.io/library/redis:latest",
            "integration/container.json,           create_container_from_file, docker.io/library/influxdb:1.8.4"})
    void descriptor_isTheContainerKantoDeploys(String file, String name, String image) throws IOException {
        ContainerSpec spec = ContainerDescriptorMapper.parse(file(file));

        assertThat(spec.name().orElseThrow().value()).isEqualTo(name);
        assertThat(spec.image().text()).isEqualTo(image);
        assertThat(spec.hostname()).isEqualTo(name + "-host");
    }

    @Test
    void invalidDescriptor_isRefused_asKantosDeploymentSkipsIt() {
        assertThatThrownBy(() -> ContainerDescriptorMapper.parse(file("container/invalid.json")))
                .isInstanceOf(DescriptorException.class);
    }
}
