package io.gantry.update.desired;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The version Kanto reads from an image reference (reference/kanto-cua.md §4.2). */
class ImageVersionsTest {

    @ParameterizedTest
    @CsvSource({
        "docker.io/library/influxdb:1.8.4, 1.8.4",
        "reg:8080/app:v1, v1",
        "app, n/a",
        "app:, n/a",
        "reg:8080/app, n/a",
        "app@sha256:abc, sha256:abc",
        "app:1@sha256:abc, sha256:abc",
        "app@, n/a",
        "'', n/a"})
    void of_image_givesKantosVersion(String image, String version) {
        assertThat(ImageVersions.of(image)).isEqualTo(version);
    }
}
