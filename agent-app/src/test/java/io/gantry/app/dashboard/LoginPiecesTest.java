package io.gantry.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The password hash, the sessions and the login throttle, each on its own with a clock the test moves. */
class LoginPiecesTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void passwordHash_roundTripsThroughItsConfigurationForm_andMatchesOnlyItsPassword() {
        PasswordHash hash = PasswordHash.of("s3cret-enough".toCharArray(), 1000);
        PasswordHash read = PasswordHash.parse(hash.format());
        assertThat(read).isEqualTo(hash);
        assertThat(read.matches("s3cret-enough".toCharArray())).isTrue();
        assertThat(read.matches("s3cret-enougH".toCharArray())).isFalse();
        assertThat(hash.format()).matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=");
        assertThat(hash.toString()).doesNotContain(hash.format().substring(hash.format().lastIndexOf('$') + 1));
    }

    @Test
    void passwordHash_theDefaultIterations_areOwaspsFigure() {
        assertThat(PasswordHash.of("s3cret-enough".toCharArray()).iterations()).isEqualTo(600_000);
    }

    @Test
    void passwordHash_refusesOtherForms_withoutEchoingThem() {
        assertThatThrownBy(() -> PasswordHash.parse("plain-password")).hasMessageNotContaining("plain-password");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$10$c2FsdHNhbHQ=$AAAA"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessions_expireAfterTheTimeoutWithoutUse_andUseKeepsThemAlive() {
        Sessions sessions = new Sessions(Duration.ofMinutes(15), clock);
        Sessions.Session s = sessions.create();
        advance(Duration.ofMinutes(10));
        assertThat(sessions.use(s.id())).isPresent();
        advance(Duration.ofMinutes(10));
        assertThat(sessions.peek(s.id())).isPresent();
        advance(Duration.ofMinutes(6));
        assertThat(sessions.peek(s.id())).isEmpty();
        assertThat(sessions.use(s.id())).isEmpty();
    }

    @Test
    void sessions_haveRandomIdsAndTokens_andCheckTokensExactly() {
        Sessions sessions = new Sessions(Duration.ofMinutes(15), clock);
        Sessions.Session a = sessions.create();
        Sessions.Session b = sessions.create();
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrf()).isNotEqualTo(a.id()).isNotEqualTo(b.csrf());
        assertThat(a.csrfMatches(a.csrf())).isTrue();
        assertThat(a.csrfMatches(b.csrf())).isFalse();
        assertThat(a.csrfMatches(null)).isFalse();
        assertThat(a.csrfMatches("")).isFalse();
        assertThat(sessions.peek("unknown")).isEmpty();
        assertThat(sessions.peek(null)).isEmpty();
    }

    @Test
    void sessions_beyondTheMaximum_endTheOneUsedLongestAgo() {
        Sessions sessions = new Sessions(Duration.ofMinutes(15), clock);
        Sessions.Session first = sessions.create();
        Sessions.Session second = sessions.create();
        sessions.use(first.id());
        for (int i = 0; i < Sessions.MAX - 1; i++) {
            sessions.create();
        }
        assertThat(sessions.size()).isEqualTo(Sessions.MAX);
        assertThat(sessions.peek(second.id())).isEmpty();
    }

    @Test
    void throttle_locksAnAddressAfterFiveFailures_forTheRestOfTheMinute_andOnlyThatAddress() {
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.PER_ADDRESS; i++) {
            assertThat(throttle.waitFor("10.0.0.1")).isZero();
            throttle.failed("10.0.0.1");
            advance(Duration.ofSeconds(1));
        }
        assertThat(throttle.waitFor("10.0.0.1")).isEqualTo(Duration.ofSeconds(55));
        assertThat(throttle.waitFor("10.0.0.2")).isZero();
        advance(Duration.ofSeconds(55));
        assertThat(throttle.waitFor("10.0.0.1")).isZero();
    }

    @Test
    void throttle_locksEveryoneWhenGuessesComeFromManyAddresses() {
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.OVERALL; i++) {
            throttle.failed("10.0.1." + i);
        }
        assertThat(throttle.waitFor("10.0.2.1")).isPositive();
    }

    @Test
    void throttle_aSuccessClearsItsAddress() {
        LoginThrottle throttle = new LoginThrottle(clock);
        for (int i = 0; i < LoginThrottle.PER_ADDRESS - 1; i++) {
            throttle.failed("10.0.0.1");
        }
        throttle.succeeded("10.0.0.1");
        assertThat(throttle.failed("10.0.0.1")).isEqualTo(1);
    }

    @Test
    void updateFeed_keepsTheOperationInProgress_andTheLastOnesEnded() {
        UpdateFeed feed = new UpdateFeed();
        assertThat(feed.accept("not json".getBytes())).isFalse();
        assertThat(feed.accept("{\"activityId\":\"a1\"}".getBytes())).isFalse();
        assertThat(feed.accept(("{\"activityId\":\"a1\",\"timestamp\":1,\"payload\":{\"status\":\"UPDATING\","
                + "\"actions\":[{\"component\":{\"id\":\"containers:web\",\"version\":\"1\"},\"status\":\"UPDATING\"}]}}")
                .getBytes())).isTrue();
        assertThat(feed.json().get("current").get("status").asText()).isEqualTo("UPDATING");
        assertThat(feed.json().get("current").get("actions").get(0).get("component").asText())
                .isEqualTo("containers:web");
        feed.accept("{\"activityId\":\"a1\",\"timestamp\":2,\"payload\":{\"status\":\"COMPLETED\"}}".getBytes());
        assertThat(feed.json().get("current").isNull()).isTrue();
        assertThat(feed.json().get("last").get(0).get("status").asText()).isEqualTo("COMPLETED");
        for (int i = 0; i < UpdateFeed.KEPT + 3; i++) {
            feed.accept(("{\"activityId\":\"b" + i + "\",\"payload\":{\"status\":\"INCOMPLETE\"}}").getBytes());
        }
        assertThat(feed.json().get("last")).hasSize(UpdateFeed.KEPT);
    }
}
