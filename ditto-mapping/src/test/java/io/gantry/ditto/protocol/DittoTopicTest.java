package io.gantry.ditto.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DittoTopicTest {

    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource(delimiter = '|', textBlock = """
            demo/gateway:edge:containers/things/live/messages/create | demo:gateway:edge:containers
            a/b/c                                                    | a:b
            //                                                       | :
            """)
    void parse_readsTheThing_andKeepsTheTopicAsItCame(String text, String thingId) {
        DittoTopic topic = DittoTopic.parse(text).orElseThrow();

        assertThat(topic.thingId()).isEqualTo(thingId);
        assertThat(topic).hasToString(text);
    }

    @ParameterizedTest(name = "\"{0}\" is not a Ditto topic")
    @ValueSource(strings = {"", "demo", "demo/gateway"})
    void parse_ofFewerThanThreeLevels_isEmpty(String text) {
        assertThat(DittoTopic.parse(text)).isEmpty();
    }

    @Test
    void aLevelWithASlash_isRefused() {
        assertThatThrownBy(() -> new DittoTopic("a/b", "c", "a/b/c/d")).isInstanceOf(IllegalArgumentException.class);
    }
}
