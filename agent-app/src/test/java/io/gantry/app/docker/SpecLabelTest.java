package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.EnvVar;
import io.gantry.core.container.ImageRef;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecLabelTest {

    private final SpecLabel label = new SpecLabel(new ObjectMapper());

    @Test
    void writeThenRead_fullSpec_isEqualExceptForTheName() {
        ContainerSpec spec = Specs.full();

        assertThat(label.read(label.write(spec))).contains(spec.toBuilder().name((io.gantry.core.container.ContainerName) null)
                .buildAsReported());
    }

    @Test
    void writeThenRead_minimalSpec_keepsTheDefaults() {
        ContainerSpec spec = ContainerSpec.builder(ImageRef.parse("busybox")).build();

        assertThat(label.read(label.write(spec))).contains(spec);
    }

    @Test
    void writeThenRead_sizesKeepTheirTextAsWritten() {
        ContainerSpec spec = ContainerSpec.builder(ImageRef.parse("busybox"))
                .resources(io.gantry.core.container.Resources.memory(io.gantry.config.ByteSize.parse("300m")))
                .build();

        ContainerSpec read = label.read(label.write(spec)).orElseThrow();

        assertThat(read.resources().memory().orElseThrow().format()).isEqualTo("300m");
        assertThat(read).isEqualTo(spec);
    }

    @Test
    void write_keepsTheImageAsTyped() {
        String text = label.write(ContainerSpec.builder(ImageRef.parse("busybox")).build());

        assertThat(text).contains("\"image\":\"busybox\"").startsWith("{\"version\":1,");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{}", "{\"version\":2,\"image\":\"busybox\"}", "{\"version\":1}",
            "{\"version\":1,\"image\":\"Not An Image\"}", "[1,2]"})
    void read_damagedOrForeignLabel_isEmpty(String text) {
        assertThat(label.read(text)).isEmpty();
    }

    @Test
    void read_labelLongerThanAnySpecWithinTheBoundCouldMake_isEmpty_unparsed() {
        ContainerSpec heavy = ContainerSpec.builder(ImageRef.parse("busybox"))
                .env(List.of(EnvVar.of("BIG", "x".repeat(3 << 20))))
                .buildAsReported();
        String text = label.write(heavy);

        assertThat((long) text.length()).isGreaterThan(SpecLabel.MAX_LENGTH);
        assertThat(label.read(text)).isEmpty();
        // the largest spec within the bound still fits
        ContainerSpec heaviest = ContainerSpec.builder(ImageRef.parse("busybox"))
                .env(List.of(EnvVar.of("BIG",
                        "\u0001".repeat((int) ContainerSpec.MAX_WEIGHT - 20)))).build();
        assertThat((long) label.write(heaviest).length()).isLessThan(SpecLabel.MAX_LENGTH);
        assertThat(label.read(label.write(heaviest))).contains(heaviest);
    }

    @Test
    void read_missingLabel_isEmpty() {
        assertThat(label.read(null)).isEmpty();
    }
}
