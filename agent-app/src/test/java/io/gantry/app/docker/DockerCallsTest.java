package io.gantry.app.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.gantry.core.container.ContainerConflictException;
import io.gantry.core.container.ContainerNotFoundException;
import io.gantry.core.container.EngineException;
import io.gantry.core.container.EngineFailureException;
import io.gantry.core.container.EngineUnavailableException;
import io.gantry.core.container.ImagePullException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DockerCallsTest {

    private static final String URL = "unix:///run/test/docker.sock";
    private final DockerCalls calls = new DockerCalls(URL, Duration.ofMillis(300));

    @AfterEach
    void close() {
        calls.close();
    }

    @Test
    void engineMessage_unwrapsDockerJavasFormat() {
        assertThat(DockerCalls.engineMessage(new DockerException("{\"message\":\"No such container: abc\"}\n", 404)))
                .isEqualTo("No such container: abc");
        assertThat(DockerCalls.engineMessage(new DockerException("{\"message\":\"Conflict.\\nThe name is taken\"}", 409)))
                .isEqualTo("Conflict.; The name is taken");
        assertThat(DockerCalls.engineMessage(new DockerException("plain text answer", 500)))
                .isEqualTo("plain text answer");
        assertThat(DockerCalls.engineMessage(new DockerException("", 400))).isEqualTo("HTTP status 400");
        assertThat(DockerCalls.engineMessage(new NotFoundException("No such image: x"))).isEqualTo("No such image: x");
    }

    @Test
    void translate_mapsEachFailureToItsEngineException() {
        record Case(Throwable failure, String container, Class<? extends EngineException> type, String message) {
        }
        Case[] cases = {
                new Case(new NotFoundException("No such container: abc"), "abc", ContainerNotFoundException.class,
                        "no such container: abc"),
                new Case(new NotFoundException("No such image: busybox:9"), null, ImagePullException.class,
                        "No such image: busybox:9 (pull it first)"),
                new Case(new ConflictException("the name is in use"), "abc", ContainerConflictException.class,
                        "the name is in use"),
                new Case(new BadRequestException("invalid mount config"), "abc", EngineFailureException.class,
                        "start: invalid mount config"),
                new Case(new InternalServerErrorException("boom"), null, EngineFailureException.class,
                        "start: boom"),
                new Case(new RuntimeException(new ConnectException("Connection refused")), null,
                        EngineUnavailableException.class, "cannot reach the engine at " + URL + ": Connection refused"),
                new Case(new UncheckedIOException(new JsonParseException(null, "bad json")), null,
                        EngineFailureException.class, "start: unexpected answer from the engine at " + URL + ": bad json"),
                new Case(new IllegalStateException("odd"), null, EngineFailureException.class, "start: odd")};
        for (Case c : cases) {
            EngineException e = calls.translate(c.failure(), "start", c.container());
            assertThat(e).as(c.failure().toString()).isInstanceOf(c.type()).hasMessage(c.message())
                    .hasCause(c.failure());
        }
    }

    @Test
    void run_aCallThatDoesNotAnswer_failsAfterTheTimeoutNamingTheUrl() {
        CountDownLatch never = new CountDownLatch(1);
        Instant start = Instant.now();

        assertThatThrownBy(() -> calls.run("list containers", null, () -> {
            never.await();
            return null;
        })).isInstanceOf(EngineUnavailableException.class)
                .hasMessage("the engine at " + URL + " did not answer list containers within 300ms");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void run_returnsTheAnswer() {
        assertThat(calls.run("ping", null, () -> "OK")).isEqualTo("OK");
    }
}
