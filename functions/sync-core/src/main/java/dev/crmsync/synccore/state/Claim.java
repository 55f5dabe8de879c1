package dev.crmsync.synccore.state;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of one conditional claim write, learned from the write itself (or, on a server that
 * returns no image with a refusal, from one read right after it).
 */
public sealed interface Claim {
    /**
     * Ours until the lease ends.
     *
     * @param externalId    the vendor id already mapped, if any
     * @param externalIds   further vendor ids stored with it
     * @param tookOverLease true when an earlier attempt held a lease that expired (it may have reached the vendor)
     * @param failedEvents  events whose attempts on this item failed and were not yet resolved: such an
     *                      attempt may have reached the vendor, and when this very event is among them,
     *                      its status record must say so once this attempt ends
     * @param keyGeneration the generation of outbound idempotency keys this item is on
     * @param actionTerms   an action's terms as its first claim stored them (this claim's when it was the first)
     * @param liveKeys      a record's live vendor keys: those stored, and those this claim added
     * @param resumePoint   where the previous attempt's lookup stopped, when it left one; this claim deleted it
     */
    record Claimed(
            Optional<String> externalId,
            Map<String, String> externalIds,
            boolean tookOverLease,
            Set<String> failedEvents,
            int keyGeneration,
            Map<String, String> actionTerms,
            Set<String> liveKeys,
            Optional<String> resumePoint)
            implements Claim {
        public Claimed(
                Optional<String> externalId,
                Map<String, String> externalIds,
                boolean tookOverLease,
                Set<String> failedEvents,
                int keyGeneration) {
            this(
                    externalId,
                    externalIds,
                    tookOverLease,
                    failedEvents,
                    keyGeneration,
                    Map.of(),
                    Set.of(),
                    Optional.empty());
        }

        /** Whether an earlier attempt on this item may have reached the vendor without being committed. */
        public boolean earlierAttemptUncommitted() {
            return tookOverLease || !failedEvents.isEmpty();
        }

        public boolean failedBefore(String eventId) {
            return failedEvents.contains(eventId);
        }
    }

    /**
     * This event (or, for an action, this business key) was already applied.
     *
     * @param failedEvents the item's failed events, as in {@link Claimed}: a skipped event among them
     *                     has a status record that must now say it was skipped
     */
    record Duplicate(String appliedEventId, Set<String> failedEvents) implements Claim {}

    /** A newer version of the record was already applied: applying this one would go backwards. */
    record Stale(long appliedVersion, Set<String> failedEvents) implements Claim {}

    /** A live lease is held by another event of the same or a newer version, which carries at least this state. */
    record Superseded(String leaseEvent, long leaseVersion, Set<String> failedEvents) implements Claim {}

    /**
     * An attempt at a newer version of the record was made and has not succeeded yet: it may have
     * reached the vendor (a timeout, a 5xx after the work was done, a crash before the commit), and
     * it is retried until it is applied or dead-lettered, so this older state must never be sent.
     */
    record Overtaken(String attemptedEvent, long attemptedVersion, Set<String> failedEvents) implements Claim {}

    /**
     * A live lease is held by an older version, by another attempt at the same action, or by an
     * earlier attempt of this same event (a duplicate delivery in flight, or an attempt that died):
     * try again once the lease has ended.
     */
    record Busy(String leaseEvent, long leaseVersion, Instant leaseUntil) implements Claim {}

    /**
     * This very message failed permanently on this item moments ago and has come back only to be
     * counted toward the DLQ (visibility 0): nothing to try again, and its status is written.
     */
    record FailedPermanently(String errorClass) implements Claim {}
}
