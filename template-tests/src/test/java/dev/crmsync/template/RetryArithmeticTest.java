package dev.crmsync.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.contract.ReceiveBackstop;
import dev.crmsync.infra.RetryArithmetic;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The queue's numbers follow from the retry window, without a stack: plain arithmetic. */
class RetryArithmeticTest {

    @Test
    void theDefaultWindowGivesItsBackstopAgeAlarmAndRetention() {
        Duration window = ReceiveBackstop.DEFAULT_WINDOW;

        assertThat(RetryArithmetic.maxReceiveCount(window)).isEqualTo(95);
        assertThat(RetryArithmetic.oldestMessageAgeAlarm(window)).isEqualTo(Duration.ofMinutes(7 * 60 + 30));
        assertThat(RetryArithmetic.queueRetention(window)).isEqualTo(Duration.ofDays(4));
    }

    @Test
    void aLongWindowKeepsThreeDaysOfRetentionAfterTheAgeAlarm() {
        Duration window = Duration.ofDays(3);

        assertThat(RetryArithmetic.queueRetention(window))
                .isEqualTo(
                        RetryArithmetic.oldestMessageAgeAlarm(window).plus(RetryArithmetic.RETENTION_AFTER_AGE_ALARM))
                .isGreaterThan(Duration.ofDays(4));
    }

    @Test
    void theLongestWindowFitsBothSqsRetentionAndItsReceiveLimit() {
        assertThat(RetryArithmetic.LONGEST_RETAINED_WINDOW)
                .isEqualTo(Duration.ofDays(10).plusHours(23).plusMinutes(30));
        assertThat(RetryArithmetic.maxReceiveCount(RetryArithmetic.LONGEST_COUNTED_WINDOW))
                .isLessThan(ReceiveBackstop.SQS_MAX_RECEIVE_COUNT);
        assertThat(RetryArithmetic.maxReceiveCount(RetryArithmetic.LONGEST_COUNTED_WINDOW.plusSeconds(1)))
                .isEqualTo(ReceiveBackstop.SQS_MAX_RECEIVE_COUNT);
        assertThat(RetryArithmetic.LONGEST_RETRY_WINDOW)
                .isEqualTo(
                        RetryArithmetic.LONGEST_COUNTED_WINDOW.compareTo(RetryArithmetic.LONGEST_RETAINED_WINDOW) < 0
                                ? RetryArithmetic.LONGEST_COUNTED_WINDOW
                                : RetryArithmetic.LONGEST_RETAINED_WINDOW);
        assertThat(RetryArithmetic.queueRetention(RetryArithmetic.LONGEST_RETAINED_WINDOW))
                .isEqualTo(RetryArithmetic.SQS_MAX_RETENTION);
    }

    @Test
    void durationsReadAsOnCallReadsThem() {
        assertThat(RetryArithmetic.readable(Duration.ofDays(10).plusHours(23).plusMinutes(30)))
                .isEqualTo("10 d 23 h 30 min");
        assertThat(RetryArithmetic.readable(Duration.ofSeconds(90))).isEqualTo("1 min 30 s");
        assertThat(RetryArithmetic.readable(Duration.ZERO)).isEqualTo("0 s");
    }
}
