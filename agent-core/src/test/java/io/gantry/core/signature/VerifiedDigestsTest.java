package io.gantry.core.signature;

import static org.assertj.core.api.Assertions.assertThat;

import io.gantry.core.container.ImageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedDigestsTest {

    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String FP = "f".repeat(64);
    private static final ImageRef WEB = ImageRef.parse("reg.example/apps/web:1");

    @TempDir
    Path state;

    @Test
    void remembered_survivesARestart_boundToImageAndFingerprint() {
        new VerifiedDigests(state, Clock.systemUTC()).remember(WEB, D1, "trust.signatures[\"x\"]", FP);
        VerifiedDigests again = new VerifiedDigests(state, Clock.systemUTC());
        assertThat(again.forImage(WEB, FP)).hasValueSatisfying(e -> assertThat(e.digest()).isEqualTo(D1));
        assertThat(again.forImage(WEB, "e".repeat(64))).isEmpty();
        assertThat(again.verified(WEB, D1, FP)).isTrue();
        assertThat(again.verified(ImageRef.parse("reg.example/apps/other:1"), D1, FP)).isFalse();
        assertThat(again.verified(WEB, D1, "")).as("the allowlist verifies no signature").isFalse();
        assertThat(state.resolve("trust/verified.json.tmp")).doesNotExist();
    }

    @Test
    void invalidEntries_areSkipped_andAnUnreadableFile_meansVerifyingAgain() throws Exception {
        Path file = Files.createDirectories(state.resolve("trust")).resolve("verified.json");
        Files.writeString(file, "{\"version\":1,\"entries\":[{\"image\":\"reg.example/apps/web:1\",\"digest\":\"" + D1
                + "\",\"rule\":\"r\",\"fingerprint\":\"" + FP + "\",\"verified_at\":\"2026-12-05T09:00:00Z\"},"
                + "{\"image\":\"reg.example/apps/web:1\",\"digest\":\"sha256:12\",\"rule\":\"r\",\"fingerprint\":\""
                + FP + "\",\"verified_at\":\"2026-12-05T09:00:00Z\"},{\"image\":\"UPPER CASE\"}]}");
        assertThat(new VerifiedDigests(state, Clock.systemUTC()).forImage(WEB, FP)).isPresent();
        Files.writeString(file, "<html>");
        assertThat(new VerifiedDigests(state, Clock.systemUTC()).forImage(WEB, FP)).isEmpty();
        Files.write(file, new byte[VerifiedDigests.MAX_BYTES + 1]);
        assertThat(new VerifiedDigests(state, Clock.systemUTC()).forImage(WEB, FP)).isEmpty();
    }

    @Test
    void theFile_isBounded_forgettingTheOldest() {
        VerifiedDigests digests = new VerifiedDigests(state, Clock.systemUTC());
        for (int i = 0; i <= VerifiedDigests.MAX_ENTRIES; i++) {
            digests.remember(ImageRef.parse("reg.example/apps/app" + i + ":1"), D1, "r", FP);
        }
        VerifiedDigests again = new VerifiedDigests(state, Clock.systemUTC());
        assertThat(again.forImage(ImageRef.parse("reg.example/apps/app0:1"), FP)).isEmpty();
        assertThat(again.forImage(ImageRef.parse("reg.example/apps/app" + VerifiedDigests.MAX_ENTRIES + ":1"), FP))
                .isPresent();
    }
}
