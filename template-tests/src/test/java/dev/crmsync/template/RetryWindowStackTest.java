package dev.crmsync.template;

import static dev.crmsync.template.RetryWindowAssertions.environment;
import static dev.crmsync.template.RetryWindowAssertions.maxReceiveCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.contract.ReceiveBackstop;
import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.Integration;
import dev.crmsync.infra.RetryArithmetic;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A catalog entry's own retry window, shorter and longer than the default, drives the queue's
 * backstop, the function's environment, the queue's retention and the age alarm; a window SQS
 * cannot hold is refused. Needs the built billing jar (both entries deploy it).
 */
class RetryWindowStackTest {

    private static final String STAGE = "dev";
    private static final Integration BILLING = Catalog.INTEGRATIONS.stream()
            .filter(integration -> integration.name().equals("billing"))
            .findFirst()
            .orElseThrow();
    private static final Duration SHORT_WINDOW = Duration.ofMinutes(30);
    private static final Duration LONG_WINDOW = Duration.ofDays(2);
    private static final Integration SHORT =
            BILLING.toBuilder().retryWindow(SHORT_WINDOW).build();
    private static final Integration LONG = Integration.builder("billing-long")
            .handler(BILLING.handlerClass())
            .functionJar(BILLING.functionJar())
            .detailTypes(BILLING.detailTypes())
            .retryWindow(LONG_WINDOW)
            .build();

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.withCatalog(List.of(SHORT, LONG));
    }

    @Test
    void aCustomWindowChangesTheQueueBackstopAndTheFunctionEnvironmentAlike() {
        PipelineResources shortPipeline = PipelineResources.of(synth, SHORT, STAGE);
        PipelineResources longPipeline = PipelineResources.of(synth, LONG, STAGE);
        RetryWindowAssertions.assertBackstopMatchesTheWindow(synth, shortPipeline, SHORT_WINDOW);
        RetryWindowAssertions.assertBackstopMatchesTheWindow(synth, longPipeline, LONG_WINDOW);

        int defaultBackstop = ReceiveBackstop.maxReceiveCount(
                ReceiveBackstop.DEFAULT_WINDOW, Duration.ofSeconds(2), Duration.ofSeconds(900));
        assertThat(maxReceiveCount(synth, shortPipeline)).isLessThan(defaultBackstop);
        assertThat(maxReceiveCount(synth, longPipeline)).isGreaterThan(defaultBackstop);
        assertThat(environment(synth, shortPipeline)).containsEntry("CRM_SYNC_RETRY_WINDOW_SECONDS", "1800");
        assertThat(environment(synth, longPipeline)).containsEntry("CRM_SYNC_RETRY_WINDOW_SECONDS", "172800");
    }

    @Test
    void aCustomWindowMovesTheAgeAlarmAndTheRetentionWithIt() {
        PipelineResources shortPipeline = PipelineResources.of(synth, SHORT, STAGE);
        PipelineResources longPipeline = PipelineResources.of(synth, LONG, STAGE);
        RetryWindowAssertions.assertAlarmsAndRetentionFitTheWindow(synth, shortPipeline, SHORT_WINDOW, alarmTopic());
        RetryWindowAssertions.assertAlarmsAndRetentionFitTheWindow(synth, longPipeline, LONG_WINDOW, alarmTopic());

        // SQS's default where it suffices; window, last backoff, grace and three days where it does not
        assertThat(synth.properties(shortPipeline.queue()).get("MessageRetentionPeriod"))
                .isEqualTo(4 * 86_400);
        assertThat(synth.properties(longPipeline.queue()).get("MessageRetentionPeriod"))
                .isEqualTo(5 * 86_400 + 1_800);
    }

    @Test
    void aWindowLongerThanSqsCanHoldAMessageFailsWithAClearMessage() {
        assertThatThrownBy(() ->
                        BILLING.toBuilder().retryWindow(Duration.ofDays(12)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("billing: retryWindow 12 d is longer than SQS allows.")
                .hasMessageContaining("SQS keeps a message at most 14 d")
                .hasMessageContaining(
                        "choose a retryWindow of at most " + readable(RetryArithmetic.LONGEST_RETRY_WINDOW));
        // the longest window the queue could hold takes all of SQS's retention
        assertThat(RetryArithmetic.queueRetention(RetryArithmetic.LONGEST_RETAINED_WINDOW))
                .isEqualTo(Duration.ofDays(14));
    }

    @Test
    void aWindowLongerThanSqsCanCountReceivesForFailsWithAClearMessage() {
        assertThatThrownBy(() ->
                        BILLING.toBuilder().retryWindow(Duration.ofDays(6)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("billing: retryWindow 6 d is longer than SQS allows.")
                .hasMessageContaining("SQS's largest maxReceiveCount (1000)");
        assertThatThrownBy(() -> BILLING.toBuilder()
                        .retryWindow(RetryArithmetic.LONGEST_RETRY_WINDOW.plusSeconds(1))
                        .build())
                .hasMessageContaining("longer than SQS allows");

        // the longest accepted window: its backstop is below SQS's limit, and the DLQ keeps its messages for days
        Duration longest = BILLING.toBuilder()
                .retryWindow(RetryArithmetic.LONGEST_RETRY_WINDOW)
                .build()
                .retryWindow();
        assertThat(longest).isGreaterThan(Duration.ofDays(4));
        assertThat(ReceiveBackstop.maxReceiveCount(longest, Duration.ofSeconds(2), Duration.ofSeconds(900)))
                .isLessThan(ReceiveBackstop.SQS_MAX_RECEIVE_COUNT);
        assertThat(RetryArithmetic.DEAD_LETTER_RETENTION.minus(RetryArithmetic.oldestMessageAgeAlarm(longest)))
                .isGreaterThanOrEqualTo(Duration.ofDays(3));
    }

    /** As the construct writes durations: {@code 5 d 8 min 31 s}. */
    private static String readable(Duration duration) {
        String text = (duration.toDaysPart() > 0 ? duration.toDaysPart() + " d " : "")
                + (duration.toHoursPart() > 0 ? duration.toHoursPart() + " h " : "")
                + (duration.toMinutesPart() > 0 ? duration.toMinutesPart() + " min " : "")
                + (duration.toSecondsPart() > 0 ? duration.toSecondsPart() + " s" : "");
        return text.strip();
    }

    private static String alarmTopic() {
        return synth.ofType("AWS::SNS::Topic").keySet().iterator().next();
    }
}
