package dev.crmsync.template;

import static dev.crmsync.template.SynthesizedStack.getAtt;
import static dev.crmsync.template.SynthesizedStack.ref;
import static dev.crmsync.template.SynthesizedStack.render;
import static dev.crmsync.template.SynthesizedStack.typed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.contract.ReceiveBackstop;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one pipeline of a synthesized template must hold for its retry window, stated without the
 * construct's own helpers: the backstop from {@link RetryPolicy} itself, the rest from the window.
 */
final class RetryWindowAssertions {

    private static final Duration DLQ_TIME_AFTER_THE_WINDOW = Duration.ofDays(3);

    private RetryWindowAssertions() {}

    /**
     * The queue's maxReceiveCount is RetryPolicy's count for the window and the backoff the function
     * is given, and the function is given that same window and count.
     */
    static void assertBackstopMatchesTheWindow(SynthesizedStack synth, PipelineResources p, Duration window) {
        Map<String, Object> env = environment(synth, p);
        Duration base = Duration.ofSeconds(Long.parseLong((String) env.get("CRM_SYNC_BACKOFF_BASE_SECONDS")));
        Duration cap = Duration.ofSeconds(Long.parseLong((String) env.get("CRM_SYNC_BACKOFF_CAP_SECONDS")));
        int backstop = ReceiveBackstop.maxReceiveCount(window, base, cap);

        assertThat(maxReceiveCount(synth, p))
                .as("%s RedrivePolicy maxReceiveCount", p.name())
                .isEqualTo(backstop);
        assertThat(env)
                .as("%s function environment", p.name())
                .containsEntry("CRM_SYNC_RETRY_WINDOW_SECONDS", String.valueOf(window.toSeconds()))
                .containsEntry("CRM_SYNC_MAX_RECEIVE_COUNT", String.valueOf(backstop));
    }

    /**
     * Every alarm on the pipeline's resources, and none that a retry in progress can trip: the DLQs' depth, the
     * queue's age past the window and a last backoff, function errors and throttles (whole
     * invocations, never per-record failures), rule delivery. The queue keeps a message past that
     * alarm, and the DLQ keeps a message that reached it at the end of its window for days.
     */
    static void assertAlarmsAndRetentionFitTheWindow(
            SynthesizedStack synth, PipelineResources p, Duration window, String topic) {
        Set<String> resources = Set.of(
                render(getAtt(p.queue(), "QueueName")),
                render(getAtt(p.deadLetterQueue(), "QueueName")),
                render(getAtt(p.ruleDeadLetterQueue(), "QueueName")),
                render(ref(p.function())),
                render(ref(p.rule())));
        List<Map<String, Object>> allAlarms = synth.ofType("AWS::CloudWatch::Alarm").keySet().stream()
                .map(synth::properties)
                .toList();
        assertThat(allAlarms)
                .as("alarms on the pipeline's per-record outcomes (failed records are retried)")
                .noneMatch(alarm -> "CrmSync".equals(alarm.get("Namespace")));
        Map<String, Map<String, Object>> alarms = allAlarms.stream()
                .filter(alarm -> resources.contains(resource(alarm)))
                .collect(Collectors.toMap(RetryWindowAssertions::watches, alarm -> alarm));
        String queueName = render(getAtt(p.queue(), "QueueName"));
        String ageOfQueue = "AWS/SQS ApproximateAgeOfOldestMessage " + queueName;
        assertThat(alarms.keySet())
                .as("what the alarms of %s watch", p.name())
                .isEqualTo(Set.of(
                        "AWS/SQS ApproximateNumberOfMessagesVisible "
                                + render(getAtt(p.deadLetterQueue(), "QueueName")),
                        "AWS/SQS ApproximateNumberOfMessagesVisible "
                                + render(getAtt(p.ruleDeadLetterQueue(), "QueueName")),
                        ageOfQueue,
                        "AWS/Lambda Errors " + render(ref(p.function())),
                        "AWS/Lambda Throttles " + render(ref(p.function())),
                        "AWS/Events FailedInvocations " + render(ref(p.rule())),
                        "AWS/Events InvocationsFailedToBeSentToDlq " + render(ref(p.rule()))));
        alarms.values().forEach(alarm -> assertThat(alarm.get("AlarmActions")).isEqualTo(List.of(ref(topic))));

        Map<String, Object> env = environment(synth, p);
        Duration cap = Duration.ofSeconds(Long.parseLong((String) env.get("CRM_SYNC_BACKOFF_CAP_SECONDS")));
        Duration ageThreshold =
                Duration.ofSeconds(((Number) alarms.get(ageOfQueue).get("Threshold")).longValue());
        assertThat(ageThreshold)
                .as("age alarm of %s: not within the window and its last backoff", p.name())
                .isGreaterThanOrEqualTo(window.plus(cap));

        Duration retention =
                Duration.ofSeconds(((Number) synth.properties(p.queue()).get("MessageRetentionPeriod")).longValue());
        assertThat(retention)
                .as("queue retention of %s: past the window's age alarm, by days", p.name())
                .isGreaterThanOrEqualTo(ageThreshold.plus(Duration.ofDays(3)))
                .isLessThanOrEqualTo(Duration.ofDays(14));
        Duration dlqRetention = Duration.ofSeconds(
                ((Number) synth.properties(p.deadLetterQueue()).get("MessageRetentionPeriod")).longValue());
        // SQS keeps the first enqueue time when it moves a message to the DLQ.
        assertThat(dlqRetention)
                .isEqualTo(Duration.ofDays(14))
                .isGreaterThanOrEqualTo(ageThreshold.plus(DLQ_TIME_AFTER_THE_WINDOW));
    }

    static int maxReceiveCount(SynthesizedStack synth, PipelineResources p) {
        Map<String, Object> redrive = typed(synth.properties(p.queue()).get("RedrivePolicy"));
        return ((Number) redrive.get("maxReceiveCount")).intValue();
    }

    static Map<String, Object> environment(SynthesizedStack synth, PipelineResources p) {
        Map<String, Object> environment = typed(synth.properties(p.function()).get("Environment"));
        return typed(environment.get("Variables"));
    }

    /** "namespace metric resource". */
    private static String watches(Map<String, Object> alarm) {
        return alarm.get("Namespace") + " " + alarm.get("MetricName") + " " + resource(alarm);
    }

    /** The queue, function or rule an alarm watches, as {@link SynthesizedStack#render} spells it. */
    private static String resource(Map<String, Object> alarm) {
        List<Map<String, Object>> dimensions = typed(alarm.getOrDefault("Dimensions", List.of()));
        return dimensions.stream()
                .filter(d -> Set.of("QueueName", "FunctionName", "RuleName").contains(d.get("Name")))
                .map(d -> render(d.get("Value")))
                .collect(Collectors.joining(","));
    }
}
