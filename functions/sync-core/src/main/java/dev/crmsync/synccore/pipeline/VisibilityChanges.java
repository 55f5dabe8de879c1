package dev.crmsync.synccore.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;

/**
 * Sets the backoff of every failed message of a batch with ChangeMessageVisibilityBatch: one SQS
 * request per ten failures instead of one per failure.
 */
final class VisibilityChanges {
    private static final Logger LOG = LoggerFactory.getLogger(VisibilityChanges.class);
    private static final int SQS_BATCH_LIMIT = 10;
    private static final Duration SHORTEST_CALL = Duration.ofMillis(50);

    private final SqsClient sqs;
    private final String queueUrl;

    VisibilityChanges(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Applies the changes; every call, SDK retries included, ends by {@code end} (at least a short call is made). */
    void apply(Map<String, Integer> secondsByReceiptHandle, Instant end, Clock clock) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (Map.Entry<String, Integer> change : secondsByReceiptHandle.entrySet()) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                    .id("m" + entries.size())
                    .receiptHandle(change.getKey())
                    .visibilityTimeout(change.getValue())
                    .build());
        }
        for (int from = 0; from < entries.size(); from += SQS_BATCH_LIMIT) {
            List<ChangeMessageVisibilityBatchRequestEntry> chunk =
                    entries.subList(from, Math.min(entries.size(), from + SQS_BATCH_LIMIT));
            Duration left = Duration.between(clock.instant(), end);
            Duration timeout = left.compareTo(SHORTEST_CALL) < 0 ? SHORTEST_CALL : left;
            var response = sqs.changeMessageVisibilityBatch(
                    b -> b.queueUrl(queueUrl).entries(chunk).overrideConfiguration(o -> o.apiCallTimeout(timeout)));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                // The message then returns after the queue's own visibility timeout: later, not lost.
                response.failed()
                        .forEach(f -> LOG.warn("visibility change {} failed: {} {}", f.id(), f.code(), f.message()));
            }
        }
    }
}
