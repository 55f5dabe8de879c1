package dev.crmsync.synccore.state;

import static dev.crmsync.synccore.state.SyncStateStore.ACTION_STATUS;
import static dev.crmsync.synccore.state.SyncStateStore.APPLIED_EVENT;
import static dev.crmsync.synccore.state.SyncStateStore.APPLIED_VERSION;
import static dev.crmsync.synccore.state.SyncStateStore.COMPLETED;
import static dev.crmsync.synccore.state.SyncStateStore.LEASE_OWNER;
import static dev.crmsync.synccore.state.SyncStateStore.LEASE_UNTIL;
import static dev.crmsync.synccore.state.SyncStateStore.LEASE_VERSION;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Why a claim's conditional write failed, decided from the item as it stood: the image DynamoDB
 * returns with the failure ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}) or, on a server
 * that returns none, the item read once right after. One function for both sources, so the
 * decision cannot differ between them.
 */
final class ClaimRefusal {
    private ClaimRefusal() {}

    /** A record claim for {@code version} by {@code eventId} failed against {@code item}. */
    static Claim ofRecord(Map<String, AttributeValue> item, String eventId, long version) {
        long applied = number(item, APPLIED_VERSION).orElse(-1L);
        if (applied >= version) {
            String appliedEvent = text(item, APPLIED_EVENT).orElse("");
            return appliedEvent.equals(eventId) ? new Claim.Duplicate(appliedEvent) : new Claim.Stale(applied);
        }
        String owner = text(item, LEASE_OWNER).orElse("");
        long leaseVersion = number(item, LEASE_VERSION).orElse(-1L);
        // Our own event in the lease is never "superseded": that attempt may be dead, and
        // skipping would delete a message that was never applied.
        return leaseVersion >= version && !owner.equals(eventId)
                ? new Claim.Superseded(owner, leaseVersion)
                : new Claim.Busy(owner, leaseVersion, leaseUntil(item));
    }

    /** An action claim failed against {@code item}: completed (a duplicate) or leased (busy). */
    static Claim ofAction(Map<String, AttributeValue> item) {
        if (text(item, ACTION_STATUS).filter(COMPLETED::equals).isPresent()) {
            return new Claim.Duplicate(text(item, APPLIED_EVENT).orElse(""));
        }
        return new Claim.Busy(text(item, LEASE_OWNER).orElse(""), 0, leaseUntil(item));
    }

    private static Instant leaseUntil(Map<String, AttributeValue> item) {
        return number(item, LEASE_UNTIL).map(Instant::ofEpochMilli).orElse(Instant.EPOCH);
    }

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    private static Optional<Long> number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? Optional.empty() : Optional.of(Long.parseLong(v.n()));
    }
}
