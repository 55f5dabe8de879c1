package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision for every message of one batch. Every message starts undecided; whatever is still
 * undecided when the batch ends (a bug, the deadline) is reported failed, so a message can only
 * be deleted by an explicit success or skip. Decisions arriving after the response was built (a
 * vendor call that outlived the deadline) are ignored.
 */
final class BatchOutcome {
    private final Map<String, SQSMessage> messages = new LinkedHashMap<>();
    private final Map<String, Integer> failedVisibility = new LinkedHashMap<>();
    private final Map<String, Boolean> decided = new LinkedHashMap<>();
    private boolean sealed;

    BatchOutcome(List<SQSMessage> batch) {
        for (SQSMessage message : batch) {
            messages.put(message.getMessageId(), message);
        }
    }

    synchronized void succeed(SQSMessage message) {
        if (!sealed) {
            decided.put(message.getMessageId(), true);
            failedVisibility.remove(message.getMessageId());
        }
    }

    synchronized void fail(SQSMessage message, int visibilitySeconds) {
        if (!sealed) {
            decided.put(message.getMessageId(), true);
            failedVisibility.put(message.getMessageId(), visibilitySeconds);
        }
    }

    synchronized void failUndecided(int visibilitySeconds) {
        for (String id : messages.keySet()) {
            if (!decided.containsKey(id)) {
                failedVisibility.put(id, visibilitySeconds);
                decided.put(id, true);
            }
        }
        sealed = true;
    }

    /** Receipt handle → visibility timeout in seconds, for every failed message. */
    synchronized Map<String, Integer> visibilityChanges() {
        Map<String, Integer> changes = new LinkedHashMap<>();
        failedVisibility.forEach((id, seconds) -> changes.put(messages.get(id).getReceiptHandle(), seconds));
        return changes;
    }

    synchronized SQSBatchResponse response() {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (String id : failedVisibility.keySet()) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder()
                    .withItemIdentifier(id)
                    .build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
