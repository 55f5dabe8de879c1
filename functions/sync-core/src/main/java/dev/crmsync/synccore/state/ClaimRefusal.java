package dev.crmsync.synccore.state;

import static dev.crmsync.synccore.state.StateAttributes.ACTION_STATUS;
import static dev.crmsync.synccore.state.StateAttributes.APPLIED_EVENT;
import static dev.crmsync.synccore.state.StateAttributes.APPLIED_VERSION;
import static dev.crmsync.synccore.state.StateAttributes.ATTEMPTED_EVENT;
import static dev.crmsync.synccore.state.StateAttributes.ATTEMPTED_VERSION;
import static dev.crmsync.synccore.state.StateAttributes.COMPLETED;
import static dev.crmsync.synccore.state.StateAttributes.GAVE_UPS;
import static dev.crmsync.synccore.state.StateAttributes.GAVE_UP_AT;
import static dev.crmsync.synccore.state.StateAttributes.GAVE_UP_CLASS;
import static dev.crmsync.synccore.state.StateAttributes.GAVE_UP_MESSAGE;
import static dev.crmsync.synccore.state.StateAttributes.GAVE_UP_RECEIVE;
import static dev.crmsync.synccore.state.StateAttributes.LEASE_EVENT;
import static dev.crmsync.synccore.state.StateAttributes.LEASE_UNTIL;
import static dev.crmsync.synccore.state.StateAttributes.LEASE_VERSION;
import static dev.crmsync.synccore.state.StateTable.failedEvents;
import static dev.crmsync.synccore.state.StateTable.number;
import static dev.crmsync.synccore.state.StateTable.text;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Why a claim's conditional write failed, decided from the item as it stood: the image DynamoDB
 * returns with the failure ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}) or, on a server
 * that returns none, the item read once right after. One function for both sources, so the
 * decision cannot differ between them.
 */
final class ClaimRefusal {
    private ClaimRefusal() {}

    /**
     * A record claim for {@code version} by {@code eventId}, delivered as {@code messageId}, failed
     * against {@code item}; give-ups recorded since {@code giveUpsSince} still count.
     */
    static Claim ofRecord(
            Map<String, AttributeValue> item,
            String eventId,
            long version,
            SyncStateStore.Receipt receipt,
            Instant giveUpsSince) {
        Set<String> failed = failedEvents(item);
        long applied = number(item, APPLIED_VERSION).orElse(-1L);
        if (applied >= version) {
            String appliedEvent = text(item, APPLIED_EVENT).orElse("");
            return appliedEvent.equals(eventId)
                    ? new Claim.Duplicate(appliedEvent, failed)
                    : new Claim.Stale(applied, failed);
        }
        Optional<Claim> gaveUp = gaveUp(item, receipt, giveUpsSince);
        if (gaveUp.isPresent()) {
            return gaveUp.get();
        }
        String leaseEvent = text(item, LEASE_EVENT).orElse("");
        long leaseVersion = number(item, LEASE_VERSION).orElse(-1L);
        // Our own event in the lease is never "superseded": that attempt may be dead, and
        // skipping would delete a message that was never applied.
        if (leaseVersion >= version && !leaseEvent.equals(eventId)) {
            return new Claim.Superseded(leaseEvent, leaseVersion, failed);
        }
        // No live lease of a newer version, but an attempt at one may have reached the vendor:
        // sending this older state now would put it over that newer one.
        long attempted = number(item, ATTEMPTED_VERSION).orElse(-1L);
        if (attempted > version) {
            return new Claim.Overtaken(text(item, ATTEMPTED_EVENT).orElse(""), attempted, failed);
        }
        return new Claim.Busy(leaseEvent, leaseVersion, leaseUntil(item));
    }

    /**
     * An action claim failed against {@code item}: completed (a duplicate), given up by this message, or leased (busy).
     */
    static Claim ofAction(
            Map<String, AttributeValue> item, String eventId, SyncStateStore.Receipt receipt, Instant giveUpsSince) {
        if (text(item, ACTION_STATUS).filter(COMPLETED::equals).isPresent()) {
            return new Claim.Duplicate(text(item, APPLIED_EVENT).orElse(""), failedEvents(item));
        }
        return gaveUp(item, receipt, giveUpsSince)
                .orElseGet(() -> new Claim.Busy(text(item, LEASE_EVENT).orElse(""), 0, leaseUntil(item)));
    }

    /** This message gave up here recently, on an earlier receive (a redrive starts the count again). */
    private static Optional<Claim> gaveUp(
            Map<String, AttributeValue> item, SyncStateStore.Receipt receipt, Instant since) {
        AttributeValue giveUps = item.get(GAVE_UPS);
        AttributeValue ofThisMessage =
                giveUps != null && giveUps.hasM() ? giveUps.m().get(receipt.messageId()) : null;
        if (ofThisMessage != null && ofThisMessage.hasM()) {
            return recentOnAnEarlierReceive(ofThisMessage.m(), receipt, since);
        }
        // an item written before give-ups were kept by message holds its one give-up at the top level
        return text(item, GAVE_UP_MESSAGE).filter(receipt.messageId()::equals).isPresent()
                ? recentOnAnEarlierReceive(item, receipt, since)
                : Optional.empty();
    }

    /** {@code giveUp} (an entry of the map, or the item's top level) was recent and on an earlier receive. */
    private static Optional<Claim> recentOnAnEarlierReceive(
            Map<String, AttributeValue> giveUp, SyncStateStore.Receipt receipt, Instant since) {
        boolean recent = number(giveUp, GAVE_UP_AT)
                .filter(at -> at >= since.toEpochMilli())
                .isPresent();
        boolean earlierReceive = number(giveUp, GAVE_UP_RECEIVE)
                .filter(count -> count < receipt.receiveCount())
                .isPresent();
        return recent && earlierReceive
                ? Optional.of(
                        new Claim.FailedPermanently(text(giveUp, GAVE_UP_CLASS).orElse("failed_permanently")))
                : Optional.empty();
    }

    private static Instant leaseUntil(Map<String, AttributeValue> item) {
        return number(item, LEASE_UNTIL).map(Instant::ofEpochMilli).orElse(Instant.EPOCH);
    }
}
