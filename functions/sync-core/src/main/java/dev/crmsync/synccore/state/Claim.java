package dev.crmsync.synccore.state;

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
     * @param failedBefore  true when an earlier attempt of this same event failed and released the claim
     *                      (its status record says so, and must be updated when this attempt succeeds)
     */
    record Claimed(Optional<String> externalId, Map<String, String> externalIds, boolean tookOverLease, boolean failedBefore)
            implements Claim {}

    /** This event (or, for an action, this business key) was already applied. */
    record Duplicate(String appliedEventId) implements Claim {}

    /** A newer version of the record was already applied: applying this one would go backwards. */
    record Stale(long appliedVersion) implements Claim {}

    /** A live lease is held by an event of the same or a newer version, which carries at least this state. */
    record Superseded(String leaseOwner, long leaseVersion) implements Claim {}

    /** A live lease is held by an older version (or by another attempt at the same action): try again shortly. */
    record Busy(String leaseOwner, long leaseVersion) implements Claim {}
}
