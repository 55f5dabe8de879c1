package dev.crmsync.synccore.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.synccore.observe.SyncOutcome;
import dev.crmsync.synccore.retry.RetryPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a function learns from its environment, and what it refuses. No server. */
class SyncConfigTest {
    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of(
                "CRM_SYNC_INTEGRATION",
                "billing",
                "CRM_SYNC_TABLE",
                "t",
                "CRM_SYNC_QUEUE_URL",
                "http://127.0.0.1/q",
                "CRM_SYNC_SECRET_ID",
                "s"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    @Test
    void theDefaultsRideOutASixHourOutage() {
        SyncConfig config = SyncConfig.from(env());
        assertThat(config.retryWindow()).isEqualTo(Duration.ofHours(7));
        assertThat(config.maxReceiveCount())
                .isEqualTo(RetryPolicy.maxReceiveCount(
                        Duration.ofHours(7), Duration.ofSeconds(2), Duration.ofSeconds(900)));
    }

    @Test
    void theStackSetsTheWindowAndTheReceiveBackstop() {
        SyncConfig config =
                SyncConfig.from(env("CRM_SYNC_RETRY_WINDOW_SECONDS", "1800", "CRM_SYNC_MAX_RECEIVE_COUNT", "43"));
        assertThat(config.retryWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.maxReceiveCount()).isEqualTo(43);
    }

    @Test
    void aDeadlineMarginOfZeroIsRefused() {
        // the lease must outlast every vendor call: with no margin, a call could end after it
        assertThatThrownBy(() -> SyncConfig.from(env("CRM_SYNC_DEADLINE_MARGIN_MILLIS", "0")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CRM_SYNC_DEADLINE_MARGIN_MILLIS");
    }

    @Test
    void nonsenseTuningIsRefusedWithTheVariableNamed() {
        assertThatThrownBy(() -> SyncConfig.from(env("CRM_SYNC_VENDOR_TIMEOUT_MILLIS", "0")))
                .hasMessageContaining("CRM_SYNC_VENDOR_TIMEOUT_MILLIS");
        assertThatThrownBy(() -> SyncConfig.from(env("CRM_SYNC_RETRY_WINDOW_SECONDS", "0")))
                .hasMessageContaining("CRM_SYNC_RETRY_WINDOW_SECONDS");
        assertThatThrownBy(() -> SyncConfig.from(env("CRM_SYNC_BACKOFF_BASE_SECONDS", "nine")))
                .hasMessageContaining("CRM_SYNC_BACKOFF_BASE_SECONDS");
    }

    @Test
    void outcomeEventsAreAppliedAndFailedUnlessTheStackSaysOtherwise() {
        assertThat(SyncConfig.from(env()).publishedOutcomes())
                .isEqualTo(Set.of(SyncOutcome.APPLIED, SyncOutcome.FAILED));
        assertThat(SyncConfig.from(env("CRM_SYNC_PUBLISH_OUTCOMES", "skipped, applied"))
                        .publishedOutcomes())
                .isEqualTo(Set.of(SyncOutcome.SKIPPED, SyncOutcome.APPLIED));
        assertThat(SyncConfig.from(env("CRM_SYNC_PUBLISH_OUTCOMES", "none")).publishedOutcomes())
                .isEmpty();
        // a typo fails the function's start instead of silently publishing nothing
        assertThatThrownBy(() -> SyncConfig.from(env("CRM_SYNC_PUBLISH_OUTCOMES", "applied,faild")))
                .hasMessageContaining("CRM_SYNC_PUBLISH_OUTCOMES")
                .hasMessageContaining("'faild'");
        for (Set<SyncOutcome> outcomes :
                List.of(Set.<SyncOutcome>of(), SyncOutcome.DEFAULT, Set.of(SyncOutcome.values()))) {
            assertThat(SyncOutcome.parse(SyncOutcome.format(outcomes))).isEqualTo(outcomes);
        }
    }
}
