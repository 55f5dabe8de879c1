package dev.crmsync.infra;

import dev.crmsync.contract.ErrorClass;
import dev.crmsync.contract.MetricName;
import dev.crmsync.contract.ReceiveBackstop;
import java.time.Duration;
import java.util.Map;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.constructs.Construct;

/**
 * The alarms of one integration's pipeline, each named {@code <resource name>-<suffix>} and sent
 * to on-call's topic when it fires and when it clears: anything in either DLQ, a queue falling
 * behind its retry window, whole invocations failing, a function that cannot start, throttles, and
 * EventBridge failing to deliver.
 *
 * <p>The alarms are added to the pipeline's own scope, not to a construct of their own: that would
 * change every alarm's logical id, and on the update of a deployed stack CloudFormation would create
 * the "new" alarm under the same name and then delete the "old" one — the alarm itself.
 */
final class PipelineAlarms {
    private final Construct scope;
    private final String resourceName;
    private final SnsAction notifyOnCall;

    private PipelineAlarms(Construct scope, String resourceName, SnsAction notifyOnCall) {
        this.scope = scope;
        this.resourceName = resourceName;
        this.notifyOnCall = notifyOnCall;
    }

    static void addTo(
            Construct scope, PipelineParts parts, SnsAction notifyOnCall, Duration retryWindow, int maxReceiveCount) {
        new PipelineAlarms(scope, parts.resourceName(), notifyOnCall).add(parts, retryWindow, maxReceiveCount);
    }

    private void add(PipelineParts parts, Duration retryWindow, int maxReceiveCount) {
        String bus = parts.busName();
        String ruleName = parts.rule().getRuleName();
        // EventBridge reports a rule on a custom bus under both dimensions, on the default bus under RuleName alone.
        Map<String, String> ruleDimensions = "default".equals(bus)
                ? Map.of("RuleName", ruleName)
                : Map.of("EventBusName", bus, "RuleName", ruleName);

        // A DLQ nobody reads goes inactive after six hours and SQS stops reporting its depth:
        // missing data then keeps the alarm in ALARM rather than clearing it.
        alarm(
                "DeadLetterQueueNotEmpty",
                "dlq-not-empty",
                "Messages in the integration DLQ: find why in the sync status record or the log of the event id, "
                        + "fix, then redrive to the source queue.",
                parts.deadLetterQueue().metricApproximateNumberOfMessagesVisible(MetricStats.max()),
                0,
                TreatMissingData.IGNORE);
        alarm(
                "RuleDeadLetterQueueNotEmpty",
                "rule-dlq-not-empty",
                "EventBridge could not deliver events to the integration queue (queue policy, deleted queue?); they "
                        + "are in the rule-target DLQ.",
                parts.ruleDeadLetterQueue().metricApproximateNumberOfMessagesVisible(MetricStats.max()),
                0,
                TreatMissingData.IGNORE);
        Duration ageAlarm = RetryArithmetic.oldestMessageAgeAlarm(retryWindow);
        alarm(
                "QueueFallingBehind",
                "queue-behind",
                "A message has waited in the integration queue for more than " + RetryArithmetic.readable(ageAlarm)
                        + " (its retry window of " + RetryArithmetic.readable(retryWindow)
                        + " and a last backoff): the function is not"
                        + " receiving it (event source mapping disabled, function unable to start, throttled) or falls"
                        + " behind. A vendor outage shorter than the retry window does not get here. Unprocessed "
                        + "messages are"
                        + " deleted by SQS, without a status record, after "
                        + RetryArithmetic.readable(RetryArithmetic.queueRetention(retryWindow)) + ".",
                parts.queue().metricApproximateAgeOfOldestMessage(MetricStats.max()),
                ageAlarm.toSeconds(),
                TreatMissingData.NOT_BREACHING);
        // Errors counts failed invocations only. A vendor failure is a record the pipeline reports in
        // a successful invocation's partial batch response, so an outage does not show here.
        alarm(
                "FunctionErrors",
                "function-errors",
                "The sync function failed whole invocations (crash, timeout, init error), not single records:"
                        + " vendor failures are retried per record and do not count here.",
                parts.function().metricErrors(MetricStats.sum()),
                0,
                TreatMissingData.NOT_BREACHING);
        // Caught in the handler: the function answers every record as failed (back in 15 min) with a
        // status item naming the problem. A crash or a throttle before the handler runs is not: those
        // are the two alarms around this one.
        alarm(
                "FunctionCannotStart",
                "startup-failed",
                "The sync function could not start (a configuration error: an environment variable or connector option"
                        + " missing or malformed): every record is answered as failed and comes back every "
                        + ReceiveBackstop.STARTUP_FAILURE_BACKOFF.toMinutes()
                        + " min; the status item of any of its events"
                        + " (errorClass " + ErrorClass.STARTUP_FAILED
                        + ") names the problem. Fix the configuration and deploy;"
                        + " after about "
                        + RetryArithmetic.readable(
                                ReceiveBackstop.STARTUP_FAILURE_BACKOFF.multipliedBy(maxReceiveCount))
                        + " the messages reach the DLQ (redrive them then).",
                MetricStats.summed(MetricName.STARTUP_FAILED, parts.integration()),
                0,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "FunctionThrottles",
                "function-throttles",
                "The sync function was throttled: the account's concurrency is exhausted.",
                parts.function().metricThrottles(MetricStats.sum()),
                0,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "RuleFailedInvocations",
                "rule-failed-invocations",
                "EventBridge failed to deliver events of this rule to the integration queue.",
                MetricStats.summed("AWS/Events", "FailedInvocations", ruleDimensions),
                0,
                TreatMissingData.NOT_BREACHING);
        alarm(
                "RuleDeadLetterDeliveryFailed",
                "rule-dlq-delivery-failed",
                "EventBridge could deliver events neither to the integration queue nor to the rule-target DLQ: those "
                        + "events are lost.",
                MetricStats.summed("AWS/Events", "InvocationsFailedToBeSentToDlq", ruleDimensions),
                0,
                TreatMissingData.NOT_BREACHING);
    }

    private void alarm(
            String id,
            String suffix,
            String description,
            IMetric metric,
            double threshold,
            TreatMissingData missingData) {
        Alarm alarm = Alarm.Builder.create(scope, id)
                .alarmName(resourceName + "-" + suffix)
                .alarmDescription(description)
                .metric(metric)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(threshold)
                .evaluationPeriods(1)
                .treatMissingData(missingData)
                .build();
        alarm.addAlarmAction(notifyOnCall);
        alarm.addOkAction(notifyOnCall);
    }
}
