package dev.crmsync.synccore.state;

import java.time.Instant;

/**
 * Why an event did not apply (or that it finally did): what on-call reads at 2 a.m. before
 * pressing "redrive".
 *
 * @param outcome     a {@link dev.crmsync.contract.StatusOutcome}'s wire name: RETRYING, FAILED_PERMANENT, or
 *                    APPLIED or SKIPPED (written when a retried event succeeds or is skipped)
 * @param attempts    the SQS receive count at the time
 */
public record SyncStatus(
        String integration,
        String eventId,
        String detailType,
        String recordId,
        String messageId,
        String outcome,
        int attempts,
        String errorClass,
        String reason,
        Instant at) {}
