package io.gantry.core.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnumNamesTest {

    @Test
    void exact_findsOnlyTheNameAsWritten() {
        assertThat(EnumNames.exact(RestartPolicy.Kind.class, "UNLESS_STOPPED")).contains(RestartPolicy.Kind.UNLESS_STOPPED);
        assertThat(EnumNames.exact(RestartPolicy.Kind.class, "unless-stopped")).isEmpty();
        assertThat(EnumNames.exact(RestartPolicy.Kind.class, " UNLESS_STOPPED")).isEmpty();
        assertThat(EnumNames.exact(RestartPolicy.Kind.class, null)).isEmpty();
    }

    @Test
    void wire_ignoresCaseBlanksAndDashes_andAnswersEmptyForTheUnknown() {
        assertThat(EnumNames.wire(RestartPolicy.Kind.class, " unless-stopped ")).contains(RestartPolicy.Kind.UNLESS_STOPPED);
        assertThat(EnumNames.wire(Protocol.class, "Udp")).contains(Protocol.UDP);
        assertThat(EnumNames.wire(Protocol.class, "sctp-x")).isEmpty();
        assertThat(EnumNames.wire(Protocol.class, null)).isEmpty();
    }
}
