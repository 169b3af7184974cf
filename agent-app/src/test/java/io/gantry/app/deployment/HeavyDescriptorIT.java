package io.gantry.app.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gantry.app.testing.AgentProcess;
import io.gantry.app.testing.UpdateFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The field report's crash loop, for real: descriptor files with a 5 MB and a 600 KB environment value beside a good
 * one, read by an agent under the Debian package's JVM options (64 MiB heap, exit on OutOfMemoryError), started
 * three times as systemd's {@code Restart=always} would. Each start refuses both heavy files with a clear message,
 * deploys the good one, and keeps running.
 */
class HeavyDescriptorIT {

    @RegisterExtension
    static final UpdateFixture fixture = new UpdateFixture();

    @Test
    void heavyDescriptorFiles_areRefused_atEveryStart_andTheAgentKeepsRunning() throws Exception {
        Path descriptors = Files.createDirectories(fixture.dir().resolve("containers"));
        Files.writeString(descriptors.resolve("huge.json"), descriptor("huge", 5 << 20));
        Files.writeString(descriptors.resolve("heavy.json"), descriptor("heavy", 600 << 10));
        Files.writeString(descriptors.resolve("light.json"), descriptor("light", 10));
        Path config = fixture.dir().resolve("config.json");
        UpdateFixture.write(config, fixture.config("", "").replace("\"deployment\": {\"enable\": false}",
                "\"deployment\": {\"enable\": true, \"directory\": \"" + descriptors + "\"}"));
        Path log = fixture.dir().resolve("agent.log");

        for (int start = 1; start <= 3; start++) {
            fixture.probe().clear();
            int before = Files.exists(log) ? Files.readString(log).length() : 0;
            try (AgentProcess agent = AgentProcess.startAsPackaged(config, log)) {
                fixture.probe().await(Duration.ofSeconds(60), r -> r.topic().equals(UpdateFixture.CURRENT)
                        && r.payload().contains("initial-current-state-"));
                await().atMost(Duration.ofSeconds(60)).until(() -> fixture.engine().names().contains("light"));
                await().atMost(Duration.ofSeconds(20)).until(() -> agent.log().substring(before)
                        .contains("heavy.json cannot be used"));
                String thisRun = agent.log().substring(before);
                assertThat(thisRun).as("start %d", start)
                        .contains("huge.json cannot be used, so its container is left as it is: cannot be read: the"
                                + " file is larger than 1048576 bytes, the most a descriptor file may hold")
                        .contains("heavy.json cannot be used, so its container is left as it is: the container's"
                                + " configuration is too large: 614423 characters")
                        .doesNotContain("OutOfMemoryError");
                assertThat(fixture.engine().names()).as("start %d", start).doesNotContain("huge", "heavy");
                // answered after the deployment: the agent is still up
                assertThat(fixture.currentState().isObject()).isTrue();
                assertThat(agent.isAlive()).as("start %d", start).isTrue();
                if (start < 3) {
                    agent.kill(); // a crash; systemd starts it again
                }
            }
        }
    }

    private static String descriptor(String name, int envBytes) {
        return "{\"container_name\": \"" + name + "\", \"image\": {\"name\": \"" + UpdateFixture.APP_1 + "\"},"
                + " \"config\": {\"env\": [\"BIG=" + "x".repeat(envBytes) + "\"]}}";
    }
}
