package dev.crmsync.synccore.pipeline;

import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.state.LeaseToken;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What became of one record in the per-record protocol; {@link OutcomeReporter} acts on it.
 *
 * <p>Where the claim saw the item, the verdict carries the item's failed events: an event among
 * them (this one, or an older one coalesced into it) has a status record that must now be corrected.
 */
sealed interface RecordVerdict {
    /** The events whose earlier attempts failed on this record's item, as the claim saw it. */
    default Set<String> failedEventsOnItem() {
        return Set.of();
    }

    /** Committed. */
    record Applied(
            String externalId,
            Optional<SyncResult.Remapped> remapped,
            Duration targetLatency,
            Set<String> failedEventsOnItem)
            implements RecordVerdict {}

    /** Nothing to do: a duplicate, stale or superseded event. */
    record Skipped(String reason, String detail, Set<String> failedEventsOnItem) implements RecordVerdict {}

    /**
     * Tried and failed after a successful claim.
     *
     * @param heldLease   this attempt's lease, if it still holds it (then it must be released)
     * @param resumePoint where the connector's lookup stopped, for the release to store when it is retried
     */
    record Failed(
            SyncFailure failure,
            Optional<LeaseToken> heldLease,
            Set<String> failedEventsOnItem,
            Optional<String> resumePoint)
            implements RecordVerdict {
        Failed(SyncFailure failure, Optional<LeaseToken> heldLease, Set<String> failedEventsOnItem) {
            this(failure, heldLease, failedEventsOnItem, Optional.empty());
        }
    }

    /** A record this event depends on is not synced yet: known before claiming, so nothing was claimed. */
    record Waiting(SyncFailure.Retryable failure) implements RecordVerdict {}

    /** Not tried now, for a reason that is not a failure of the event: the record is busy, the invocation ends. */
    record Deferred(SyncFailure.Retryable failure) implements RecordVerdict {}

    /** This message already failed permanently here and is on its way to the DLQ. */
    record AlreadyGaveUp(String errorClass) implements RecordVerdict {}
}
