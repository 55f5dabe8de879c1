package dev.crmsync.infra;

import dev.crmsync.contract.MetricName;
import java.util.List;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.constructs.Construct;

/**
 * One integration's dashboard, named like its resources: its queues, its function, and the
 * pipeline's record outcomes. Added to the pipeline's scope, for the reason {@link PipelineAlarms} gives.
 */
final class PipelineDashboard {
    private PipelineDashboard() {}

    static void addTo(Construct scope, PipelineParts parts) {
        List<IWidget> queues = List.of(
                graph(
                        "Messages waiting",
                        parts.queue().metricApproximateNumberOfMessagesVisible(MetricStats.max()),
                        parts.queue().metricApproximateNumberOfMessagesNotVisible(MetricStats.max()),
                        parts.deadLetterQueue().metricApproximateNumberOfMessagesVisible(MetricStats.max()),
                        parts.ruleDeadLetterQueue().metricApproximateNumberOfMessagesVisible(MetricStats.max())),
                graph(
                        "Age of oldest message (s)",
                        parts.queue().metricApproximateAgeOfOldestMessage(MetricStats.max())));
        List<IWidget> invocations = List.of(
                graph(
                        "Invocations",
                        parts.function().metricInvocations(MetricStats.sum()),
                        parts.function().metricErrors(MetricStats.sum()),
                        parts.function().metricThrottles(MetricStats.sum())),
                graph(
                        "Duration (ms)",
                        parts.function().metricDuration(MetricStats.stat("p50")),
                        parts.function().metricDuration(MetricStats.stat("p99")),
                        parts.function().metricDuration(MetricStats.max())));
        List<IWidget> outcomes = List.of(graph(
                "Sync outcomes (records)",
                MetricStats.summed(MetricName.SUCCEEDED, parts.integration()),
                MetricStats.summed(MetricName.FAILED, parts.integration()),
                MetricStats.summed(MetricName.SKIPPED, parts.integration())));
        Dashboard.Builder.create(scope, "Dashboard")
                .dashboardName(parts.resourceName())
                .widgets(List.of(queues, invocations, outcomes))
                .build();
    }

    private static GraphWidget graph(String title, IMetric... metrics) {
        return GraphWidget.Builder.create()
                .title(title)
                .left(List.of(metrics))
                .width(12)
                .height(6)
                .build();
    }
}
