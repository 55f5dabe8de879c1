package dev.crmsync.synccore.observe;

import dev.crmsync.contract.MetricName;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The pipeline's EMF metrics (namespace {@code CrmSync}, dimension {@code integration}):
 * succeeded, failed by error class, skipped by reason, target latency and event age. Outcome
 * counts are flushed once per batch.
 */
public final class SyncMetrics {
    /**
     * The namespace of the function's own health, apart from the per-record outcomes of
     * {@code CrmSync}: a failed record is retried and pages no one, while a function that cannot
     * start fails every record until someone fixes it, so the stack alarms on this one.
     */
    public static final String HEALTH_NAMESPACE = MetricName.HEALTH_NAMESPACE;
    /** Records a function that could not start answered as failed (dimension {@code integration}). */
    public static final String STARTUP_FAILED = MetricName.STARTUP_FAILED.wireName();

    private final Metrics metrics;
    private final String integration;

    public SyncMetrics(Metrics metrics, String integration) {
        this.metrics = metrics;
        this.integration = integration;
        metrics.setDefaultDimensions(DimensionSet.of(MetricName.DIMENSION, integration));
    }

    public synchronized void succeeded(Duration targetLatency, Duration eventAge) {
        metrics.addMetric(MetricName.SUCCEEDED.wireName(), 1, MetricUnit.COUNT);
        metrics.addMetric("targetLatency", targetLatency.toMillis(), MetricUnit.MILLISECONDS);
        metrics.addMetric("eventAge", Math.max(0, eventAge.toMillis()), MetricUnit.MILLISECONDS);
    }

    public synchronized void skipped(String reason) {
        metrics.addMetric(MetricName.SKIPPED.wireName(), 1, MetricUnit.COUNT);
        metrics.addMetric("skipped_" + reason, 1, MetricUnit.COUNT);
    }

    public synchronized void failed(String errorClass) {
        metrics.addMetric(MetricName.FAILED.wireName(), 1, MetricUnit.COUNT);
        metrics.addMetric("failed_" + errorClass, 1, MetricUnit.COUNT);
    }

    /** A vendor object the record was mapped to was gone (deleted by a person) and was created anew. */
    public synchronized void remapped() {
        metrics.addMetric("remapped", 1, MetricUnit.COUNT);
    }

    /**
     * Records answered without being processed because the function could not start (a
     * configuration error), in {@link #HEALTH_NAMESPACE}, flushed at once. Each record comes back
     * later; the stack alarms on any.
     */
    public synchronized void startupFailed(int records) {
        metrics.flushSingleMetric(
                STARTUP_FAILED,
                records,
                MetricUnit.COUNT,
                HEALTH_NAMESPACE,
                DimensionSet.of(MetricName.DIMENSION, integration));
    }

    /** A status record could not be written: a message may sit in a DLQ without one. */
    public synchronized void statusWriteFailed() {
        metrics.addMetric("statusWriteFailed", 1, MetricUnit.COUNT);
    }

    /** Outcome events that did not reach the bus (PutEvents failed, refused them, or had no time left). */
    public synchronized void outcomeEventsUnpublished(int count) {
        metrics.addMetric("outcomeEventsUnpublished", count, MetricUnit.COUNT);
    }

    public synchronized void flush() {
        metrics.flush();
        metrics.setDefaultDimensions(DimensionSet.of(MetricName.DIMENSION, integration));
    }
}
