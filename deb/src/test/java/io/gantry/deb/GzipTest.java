package io.gantry.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipTest {

    @Test
    void compress_roundTripsAndMarksMaximumCompression() throws Exception {
        byte[] text = "gantry (0.1.0) stable; urgency=medium\n".repeat(50).getBytes(StandardCharsets.UTF_8);

        byte[] gz = Gzip.compress(text);

        assertThat(gz[8]).as("XFL byte").isEqualTo((byte) 2);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(text);
        }
    }
}
