package dev.crmsync.synccore.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** No vendor call starts that could end after the attempt's lease; timeouts follow the pipeline's clock. No server. */
class CallBudgetTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static CallBudget budget(Duration untilCallsEnd, Duration maxCall) {
        return new CallBudget(NOW.plus(untilCallsEnd), maxCall, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aCallGetsWhatIsLeftUntilTheCallsEndAtMostTheMaximum() {
        assertThat(budget(Duration.ofSeconds(3), Duration.ofSeconds(10)).nextCallTimeout())
                .contains(Duration.ofSeconds(3));
        assertThat(budget(Duration.ofSeconds(30), Duration.ofSeconds(10)).nextCallTimeout())
                .contains(Duration.ofSeconds(10));
    }

    @Test
    void noCallStartsWhenTooLittleIsLeft() {
        assertThat(budget(CallBudget.SHORTEST_CALL.minusMillis(1), Duration.ofSeconds(10))
                        .nextCallTimeout())
                .isEmpty();
        assertThat(budget(Duration.ofSeconds(-5), Duration.ofSeconds(10)).nextCallTimeout())
                .isEmpty();
    }

    @Test
    void aStragglerThatWakesUpAfterTheDeadlineStartsNoCall() {
        // the clock of a container thawed long after its invocation ended
        CallBudget budget = new CallBudget(
                NOW.plusSeconds(3), Duration.ofSeconds(10), Clock.fixed(NOW.plusSeconds(600), ZoneOffset.UTC));
        assertThat(budget.nextCallTimeout()).isEmpty();
    }

    @Test
    void aZeroCallTimeoutIsRefused() {
        assertThatThrownBy(() -> budget(Duration.ofSeconds(3), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
