package io.gantry.ditto.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The envelope's key order and omission rules (reference/kanto-things.md §2.1, §2.5). */
class DittoEnvelopeTest {

    private static String encode(DittoEnvelope envelope) {
        return new String(DittoCodec.encode(envelope), StandardCharsets.UTF_8);
    }

    @Test
    void keyOrder_topicHeadersPathValueStatus() {
        Map<String, JsonNode> headers = new LinkedHashMap<>();
        headers.put("content-type", TextNode.valueOf("application/json"));
        headers.put("correlation-id", TextNode.valueOf("c1"));

        String json = encode(new DittoEnvelope("a/b/things/live/messages/x", headers, "/p", Optional.of(
                TextNode.valueOf("v")), 200));

        assertThat(json).isEqualTo("{\"topic\":\"a/b/things/live/messages/x\",\"headers\":{\"content-type\":"
                + "\"application/json\",\"correlation-id\":\"c1\"},\"path\":\"/p\",\"value\":\"v\",\"status\":200}");
    }

    @Test
    void absentValueAndZeroStatus_areLeftOut_butANullValueIsWritten() {
        Map<String, JsonNode> headers = Map.of("response-required", BooleanNode.FALSE);

        assertThat(encode(new DittoEnvelope("t", headers, "/p", Optional.empty(), 0)))
                .isEqualTo("{\"topic\":\"t\",\"headers\":{\"response-required\":false},\"path\":\"/p\"}");
        assertThat(encode(new DittoEnvelope("t", headers, "/p", Optional.of(NullNode.getInstance()), 0)))
                .isEqualTo("{\"topic\":\"t\",\"headers\":{\"response-required\":false},\"path\":\"/p\",\"value\":null}");
    }

    @Test
    void thingRequest_isKantosEmptyEnvelope() {
        assertThat(new String(DittoCodec.THING_REQUEST, StandardCharsets.UTF_8))
                .isEqualTo("{\"topic\":\"\",\"headers\":null,\"path\":\"\"}");
    }

    @Test
    void readObject_refusesWhatIsNotOneJsonObject() {
        assertThat(DittoCodec.readObject("{\"a\":1}".getBytes(StandardCharsets.UTF_8)).get("a").asInt()).isEqualTo(1);
        for (String bad : new String[] {"", "[]", "1", "{} {}", "{\"a\":"}) {
            assertThatThrownBy(() -> DittoCodec.readObject(bad.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(DittoException.class, e -> assertThat(e.error().status()).isEqualTo(400));
        }
    }

    @Test
    void errorObject_hasExactlyErrorStatusMessage() {
        assertThat(DittoError.executionFailed("boom").toJson().toString())
                .isEqualTo("{\"error\":\"messages:execution.failed\",\"status\":500,\"message\":\"boom\"}");
        assertThatThrownBy(() -> new DittoError("x", 200, "ok")).isInstanceOf(IllegalArgumentException.class);
    }
}
