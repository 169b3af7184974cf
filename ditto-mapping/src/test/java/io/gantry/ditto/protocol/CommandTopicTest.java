package io.gantry.ditto.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandTopicTest {

    @ParameterizedTest
    @CsvSource({
            "command//a:b:edge:containers/req/r1/create, a:b:edge:containers, r1, create, false",
            "command//a:b:edge:containers/req//start, a:b:edge:containers, '', start, false",
            "command//a:b:edge:containers/req//modified, a:b:edge:containers, '', modified, true",
            "command//a:b:edge:containers/req//errors-response, a:b:edge:containers, '', errors-response, true",
            "command//a:b:edge:containers/req/r1/modified, a:b:edge:containers, r1, modified, false"})
    void parse_commandTopics(String topic, String device, String requestId, String command, boolean twinEvent) {
        CommandTopic parsed = CommandTopic.parse(topic).orElseThrow();

        assertThat(parsed).isEqualTo(new CommandTopic(device, requestId, command));
        assertThat(parsed.isTwinEvent()).isEqualTo(twinEvent);
        assertThat(parsed.responseTopic(204)).isEqualTo("command//" + device + "/res/" + requestId + "/204");
    }

    @ParameterizedTest
    @ValueSource(strings = {"command//a/req/r1", "command/a/req/r1/x", "command//a/res/r1/200",
            "command//a/req/r1/x/y", "command///req/r1/x", "edge/thing/response"})
    void parse_otherTopics_areNotCommands(String topic) {
        assertThat(CommandTopic.parse(topic)).isEqualTo(Optional.empty());
    }
}
