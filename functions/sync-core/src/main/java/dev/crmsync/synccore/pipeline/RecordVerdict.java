package dev.crmsync.synccore.pipeline;

import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.state.LeaseToken;
import java.time.Duration;
import java.util.Optional;

/** What became of one record in the per-record protocol; {@link OutcomeReporter} acts on it. */
sealed interface RecordVerdict {
    /**
     * Committed.
     *
     * @param failedBefore this event had failed on the item before: its status record must now say APPLIED
     */
    record Applied(String externalId, Optional<SyncResult.Remapped> remapped, Duration targetLatency, boolean failedBefore)
            implements RecordVerdict {}

    /** Nothing to do: a duplicate, stale or superseded event. */
    record Skipped(String reason, String detail, boolean failedBefore) implements RecordVerdict {}

    /**
     * Tried and failed after a successful claim.
     *
     * @param heldLease    this attempt's lease, if it still holds it (then it must be released)
     * @param failedBefore this event had failed on the item before (its status record exists)
     */
    record Failed(SyncFailure failure, Optional<LeaseToken> heldLease, boolean failedBefore) implements RecordVerdict {}

    /** A record this event depends on is not synced yet: known before claiming, so nothing was claimed. */
    record Waiting(SyncFailure.Retryable failure) implements RecordVerdict {}

    /** Not tried now, for a reason that is not a failure of the event: the record is busy, the invocation ends. */
    record Deferred(SyncFailure.Retryable failure) implements RecordVerdict {}

    /** This message already failed permanently here and is on its way to the DLQ. */
    record AlreadyGaveUp(String errorClass) implements RecordVerdict {}
}
