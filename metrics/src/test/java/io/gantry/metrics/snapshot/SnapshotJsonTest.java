package io.gantry.metrics.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotJsonTest {

    /** The {@code value} of the data message of reference/kanto-things.md §3.4, byte for byte. */
    private static final String REFERENCE_VALUE = "{\"snapshot\":[{\"originator\":"
            + "\"Container:4f7d1b2e-8a9c-4e3f-9b1a-2c3d4e5f6a7b\",\"measurements\":["
            + "{\"id\":\"cpu.utilization\",\"value\":8.751566666666667},"
            + "{\"id\":\"memory.total\",\"value\":10371616768},"
            + "{\"id\":\"memory.used\",\"value\":4759552},"
            + "{\"id\":\"memory.utilization\",\"value\":0.04589016453717083},"
            + "{\"id\":\"io.readBytes\",\"value\":0},"
            + "{\"id\":\"io.writeBytes\",\"value\":4096},"
            + "{\"id\":\"net.readBytes\",\"value\":610},"
            + "{\"id\":\"net.writeBytes\",\"value\":202},"
            + "{\"id\":\"pids\",\"value\":14}]}],"
            + "\"timestamp\":1719560121}";

    private static Snapshot referenceSnapshot() {
        return new Snapshot(List.of(new ContainerMeasurements("Container:4f7d1b2e-8a9c-4e3f-9b1a-2c3d4e5f6a7b",
                List.of(new Measurement(MeasurementId.CPU_UTILIZATION, 8.751566666666667),
                        new Measurement(MeasurementId.MEMORY_TOTAL, 10371616768.0),
                        new Measurement(MeasurementId.MEMORY_USED, 4759552),
                        new Measurement(MeasurementId.MEMORY_UTILIZATION, 0.04589016453717083),
                        new Measurement(MeasurementId.IO_READ_BYTES, 0),
                        new Measurement(MeasurementId.IO_WRITE_BYTES, 4096),
                        new Measurement(MeasurementId.NET_READ_BYTES, 610),
                        new Measurement(MeasurementId.NET_WRITE_BYTES, 202),
                        new Measurement(MeasurementId.PIDS, 14)))), 1719560121L);
    }

    @Test
    void toJson_referenceSnapshot_isByteIdenticalToKanto() {
        assertThat(SnapshotJson.toJson(referenceSnapshot())).isEqualTo(REFERENCE_VALUE);
    }

    @Test
    void toTree_writtenByJackson_isByteIdenticalToKanto() throws Exception {
        String written = new ObjectMapper().writeValueAsString(SnapshotJson.toTree(referenceSnapshot()));

        assertThat(written).isEqualTo(REFERENCE_VALUE);
    }

    @Test
    void toTree_equalsTheParsedText() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Snapshot snapshot = new Snapshot(List.of(
                new ContainerMeasurements("Container:a", List.of(new Measurement(MeasurementId.PIDS, 1))),
                new ContainerMeasurements("Container:b", List.of(
                        new Measurement(MeasurementId.CPU_UTILIZATION, 0.002),
                        new Measurement(MeasurementId.MEMORY_USED, 1 << 20)))), 5);

        assertThat(mapper.readTree(mapper.writeValueAsString(SnapshotJson.toTree(snapshot))))
                .isEqualTo(mapper.readTree(SnapshotJson.toJson(snapshot)));
        assertThat(SnapshotJson.toJson(snapshot)).contains("{\"id\":\"cpu.utilization\",\"value\":0.002}");
    }
}
