package dev.crmsync.synccore.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static RetryPolicy withRandom(double r) {
        return new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(900), Duration.ofSeconds(10), () -> r);
    }

    @Test
    void theBoundDoublesWithEachReceiveUpToTheCap() {
        RetryPolicy upper = withRandom(0.999999);
        assertThat(upper.visibilitySeconds(1, Optional.empty())).isEqualTo(2);
        assertThat(upper.visibilitySeconds(2, Optional.empty())).isEqualTo(4);
        assertThat(upper.visibilitySeconds(5, Optional.empty())).isEqualTo(32);
        assertThat(upper.visibilitySeconds(30, Optional.empty())).isEqualTo(900);
    }

    @Test
    void equalJitterSpreadsDelaysFromHalfTheBoundToTheBound() {
        assertThat(withRandom(0.0).visibilitySeconds(5, Optional.empty())).isEqualTo(16);
        assertThat(withRandom(0.5).visibilitySeconds(5, Optional.empty())).isEqualTo(24);
        assertThat(withRandom(0.0).visibilitySeconds(30, Optional.empty())).isEqualTo(450);
    }

    @Test
    void retryAfterIsAFloor() {
        assertThat(withRandom(0.0).visibilitySeconds(1, Optional.of(Duration.ofSeconds(7))))
                .isEqualTo(7);
        assertThat(withRandom(0.999999).visibilitySeconds(8, Optional.of(Duration.ofSeconds(7))))
                .isEqualTo(256);
    }

    @Test
    void neverPastSqsMaximumVisibility() {
        RetryPolicy huge =
                new RetryPolicy(Duration.ofHours(1), Duration.ofDays(2), Duration.ofSeconds(10), () -> 0.999999);
        assertThat(huge.visibilitySeconds(20, Optional.of(Duration.ofDays(1)))).isEqualTo(42_300);
    }

    @Test
    void busyRecordsComeBackSoon() {
        assertThat(withRandom(0.0).busySeconds(1, Optional.empty())).isEqualTo(1);
        assertThat(withRandom(0.999999).busySeconds(20, Optional.empty())).isEqualTo(10);
        assertThat(withRandom(0.0).busySeconds(2, Optional.of(Duration.ofSeconds(50))))
                .isEqualTo(1);
    }

    @Test
    void aRecordStillBusyOnTheThirdTryWaitsForTheHoldersLeaseToEnd() {
        assertThat(withRandom(0.0).busySeconds(3, Optional.of(Duration.ofMillis(41_500))))
                .isEqualTo(42);
        assertThat(withRandom(0.999999).busySeconds(3, Optional.of(Duration.ofSeconds(-5))))
                .isEqualTo(4);
    }

    @Test
    void rejectsANonsenseConfiguration() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theReceiveBackstopLetsTheWindowEndRetriesNeverTheCount() {
        Duration base = Duration.ofSeconds(2);
        Duration cap = Duration.ofSeconds(900);
        int receives = RetryPolicy.maxReceiveCount(RetryPolicy.DEFAULT_WINDOW, base, cap);
        // at the shortest delays the policy ever picks, the receives before the backstop (less the
        // deferral allowance) still span the whole window
        RetryPolicy shortest = withRandom(0.0);
        long seconds = 0;
        for (int receive = 1; receive < receives - RetryPolicy.DEFERRAL_ALLOWANCE; receive++) {
            seconds += shortest.visibilitySeconds(receive, Optional.empty());
        }
        assertThat(Duration.ofSeconds(seconds)).isGreaterThanOrEqualTo(RetryPolicy.DEFAULT_WINDOW);
        assertThat(receives).isBetween(60, 120);
        assertThat(RetryPolicy.maxReceiveCount(Duration.ofDays(30), base, cap))
                .isEqualTo(RetryPolicy.SQS_MAX_RECEIVE_COUNT);
    }
}
