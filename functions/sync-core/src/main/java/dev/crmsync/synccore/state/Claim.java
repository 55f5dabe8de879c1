package dev.crmsync.synccore.state;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** The outcome of one conditional claim write: learned from the write itself, never from a read. */
public sealed interface Claim {
    /**
     * Ours until the lease ends.
     *
     * @param externalId   the vendor id already mapped, if any
     * @param externalIds  further vendor ids stored with it
     * @param tookOverLease true when an earlier attempt held a lease that expired (it may have reached the vendor)
     * @param failedEventId the event whose attempt last failed on this item and released it, if any: that
     *                      attempt may have reached the vendor, and when it was this very event, its
     *                      status record must be updated once this attempt succeeds
     */
    record Claimed(Optional<String> externalId, Map<String, String> externalIds, boolean tookOverLease,
                   Optional<String> failedEventId) implements Claim {
        /** Whether an earlier attempt on this item may have reached the vendor without being committed. */
        public boolean earlierAttemptUncommitted() {
            return tookOverLease || failedEventId.isPresent();
        }
    }

    /** This event (or, for an action, this business key) was already applied. */
    record Duplicate(String appliedEventId) implements Claim {}

    /** A newer version of the record was already applied: applying this one would go backwards. */
    record Stale(long appliedVersion) implements Claim {}

    /** A live lease is held by another event of the same or a newer version, which carries at least this state. */
    record Superseded(String leaseOwner, long leaseVersion) implements Claim {}

    /**
     * A live lease is held by an older version, by another attempt at the same action, or by an
     * earlier attempt of this same event (a duplicate delivery in flight, or an attempt that died):
     * try again once the lease has ended.
     */
    record Busy(String leaseOwner, long leaseVersion, Instant leaseUntil) implements Claim {}
}
