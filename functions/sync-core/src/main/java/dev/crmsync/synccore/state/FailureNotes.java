package dev.crmsync.synccore.state;

import static dev.crmsync.synccore.state.StateAttributes.*;
import static dev.crmsync.synccore.state.StateTable.key;
import static dev.crmsync.synccore.state.StateTable.n;
import static dev.crmsync.synccore.state.StateTable.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * What an item remembers of its failures: the events that failed on it and were not resolved yet
 * (so a later success or skip corrects their status records without a read), and the messages
 * that gave up on it (so their receives on the way to the DLQ are refused at once) — each kept
 * within its bound ({@link FailureMemory}).
 */
final class FailureNotes {
    private static final Logger LOG = LoggerFactory.getLogger(FailureNotes.class);
    /** Notes an event at the end of the order of failures (creating the list on the item's first failure). */
    static final String NOTE_IN_ORDER = "#order = list_append(if_not_exists(#order, :noEvents), :eventInOrder)";
    /** No recent give-up of this message on an earlier receive of it. */
    static final String NOT_GIVEN_UP_BY_THIS_MESSAGE =
            "(attribute_not_exists(#gaveUp) OR #gaveUp <> :msg OR #gaveUpAt < :recent OR #gaveUpReceive >= :receive)"
                    + " AND (attribute_not_exists(#gaveUps.#gaveUpMsg) OR #gaveUps.#gaveUpMsg.#gaveUpAt < :recent"
                    + " OR #gaveUps.#gaveUpMsg.#gaveUpReceive >= :receive)";

    private final StateTable table;

    FailureNotes(StateTable table) {
        this.table = table;
    }

    /**
     * Records that {@code messageId} gave up on this item (a permanent failure, or its retry window
     * is over) and releases the lease if {@code heldLease} is this attempt's. While the give-up is
     * recent, the same message's claims are refused at once ({@link Claim.FailedPermanently}), so
     * its receives on the way to the DLQ call no vendor and write no status.
     *
     * @return true when this write recorded the give-up, false when this message had already given up here
     */
    boolean giveUp(
            String pk,
            String eventId,
            SyncStateStore.Receipt receipt,
            String errorClass,
            Optional<LeaseToken> heldLease) {
        Map<String, String> names = new HashMap<>(failureNoteNames());
        names.put("#gaveUps", GAVE_UPS);
        Map<String, AttributeValue> values = new HashMap<>(failureNoteValues(eventId));
        String release = "";
        String condition;
        if (heldLease.isPresent()) {
            names.putAll(
                    Map.of("#owner", LEASE_OWNER, "#event", LEASE_EVENT, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL));
            values.put(":owner", s(heldLease.get().nonce()));
            release = " REMOVE #owner, #event, #lv, #until";
            condition = "#owner = :owner";
        } else {
            names.putAll(Map.of(
                    "#gaveUp",
                    GAVE_UP_MESSAGE,
                    "#gaveUpAt",
                    GAVE_UP_AT,
                    "#gaveUpReceive",
                    GAVE_UP_RECEIVE,
                    "#gaveUpMsg",
                    receipt.messageId()));
            values.putAll(Map.of(
                    ":msg",
                    s(receipt.messageId()),
                    ":recent",
                    n(giveUpsSince(receipt).toEpochMilli()),
                    ":receive",
                    n(receipt.receiveCount())));
            condition = NOT_GIVEN_UP_BY_THIS_MESSAGE;
        }
        AttributeValue entry = AttributeValue.fromM(Map.of(
                GAVE_UP_AT,
                n(table.clock().millis()),
                GAVE_UP_CLASS,
                s(errorClass),
                GAVE_UP_RECEIVE,
                n(receipt.receiveCount())));
        String note = "ADD #failed :events SET " + NOTE_IN_ORDER + ", ";
        Map<String, AttributeValue> wholeValues = new HashMap<>(values);
        wholeValues.put(":giveUps", AttributeValue.fromM(Map.of(receipt.messageId(), entry)));
        Map<String, String> keyNames = new HashMap<>(names);
        keyNames.put("#gaveUpMsg", receipt.messageId());
        Map<String, AttributeValue> keyValues = new HashMap<>(values);
        keyValues.put(":giveUp", entry);
        // DynamoDB sets a key only in a map that exists: the item's first give-up since its last commit
        // writes the whole map, a later one its own key. The writes' outcomes tell which case it is, so
        // no read is needed; a commit removing the map between the two costs one round more.
        for (int round = 0; round < 3; round++) {
            Optional<Map<String, AttributeValue>> written = table.conditionalUpdate(
                    pk,
                    note + "#gaveUps = :giveUps" + release,
                    "attribute_not_exists(#gaveUps) AND (" + condition + ")",
                    names,
                    wholeValues);
            if (written.isEmpty()) {
                // the map exists, or the condition does not hold
                try {
                    written = table.conditionalUpdate(
                            pk, note + "#gaveUps.#gaveUpMsg = :giveUp" + release, condition, keyNames, keyValues);
                    if (written.isEmpty()) {
                        return false;
                    }
                } catch (DynamoDbException e) {
                    if (!isMissingDocumentPath(e)) {
                        throw e;
                    }
                    continue;
                }
            }
            keepFailureMemoryBounded(pk, written.get());
            return true;
        }
        return false;
    }

    /** DynamoDB's answer to a SET or REMOVE of a key in a map the item does not have. */
    private static boolean isMissingDocumentPath(DynamoDbException e) {
        String message =
                e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return message != null && message.contains("document path");
    }

    static Map<String, String> failureNoteNames() {
        return Map.of("#failed", FAILED_EVENTS, "#order", FAILED_ORDER);
    }

    static Map<String, AttributeValue> failureNoteValues(String eventId) {
        return Map.of(
                ":events",
                AttributeValue.fromSs(List.of(eventId)),
                ":eventInOrder",
                AttributeValue.fromL(List.of(s(eventId))),
                ":noEvents",
                AttributeValue.fromL(List.of()));
    }

    /**
     * After a write that noted a failure, from the item it left: forgets the oldest failed events and
     * give-ups beyond their bounds ({@link FailureMemory}), in one more write, only when over a bound.
     * Conditioned on the order list as seen, so a failure noted meanwhile is not lost; that
     * failure's own write trims instead. Best effort: an item over its bound for a moment is harmless.
     */
    void keepFailureMemoryBounded(String pk, Map<String, AttributeValue> item) {
        Optional<FailureMemory.Trim> trim =
                FailureMemory.of(item, SyncStateStore.FAILED_EVENTS_REMEMBERED, SyncStateStore.GIVE_UPS_REMEMBERED);
        if (trim.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>(Map.of("#order", FAILED_ORDER));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":kept",
                AttributeValue.fromL(
                        trim.get().keptOrder().stream().map(StateTable::s).toList())));
        StringBuilder update = new StringBuilder("SET #order = :kept");
        if (!trim.get().forgottenEvents().isEmpty()) {
            names.put("#failed", FAILED_EVENTS);
            values.put(
                    ":forgotten", AttributeValue.fromSs(List.copyOf(trim.get().forgottenEvents())));
            update.append(" DELETE #failed :forgotten");
        }
        List<String> removals = new ArrayList<>();
        int i = 0;
        for (String message : trim.get().forgottenGiveUps()) {
            names.put("#gaveUps", GAVE_UPS);
            names.put("#forgottenGiveUp" + i, message);
            removals.add("#gaveUps.#forgottenGiveUp" + i++);
        }
        if (!removals.isEmpty()) {
            update.append(" REMOVE ").append(String.join(", ", removals));
        }
        String condition;
        if (trim.get().seenOrderSize() < 0) {
            condition = "attribute_not_exists(#order)";
        } else {
            condition = "size(#order) = :seenOrderSize";
            values.put(":seenOrderSize", n(trim.get().seenOrderSize()));
        }
        try {
            table.conditionalUpdate(pk, update.toString(), condition, names, values);
        } catch (DynamoDbException e) {
            // e.g. a commit removed the give-ups meanwhile: nothing left to bound there
            LOG.debug(
                    "no trim of the failure memory of {}: {}", pk, e.getClass().getSimpleName());
        }
    }

    /**
     * Notes {@code eventId} among the item's failed events without holding its lease (a wait that
     * claimed nothing), so that its later success or skip updates its status record.
     */
    void noteFailure(String pk, String eventId) {
        Map<String, AttributeValue> item = table.dynamo()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(pk))
                        .updateExpression("ADD #failed :events SET " + NOTE_IN_ORDER)
                        .expressionAttributeNames(failureNoteNames())
                        .expressionAttributeValues(failureNoteValues(eventId))
                        .returnValues(ReturnValue.ALL_NEW)
                        .overrideConfiguration(table::timeout))
                .attributes();
        keepFailureMemoryBounded(pk, item == null ? Map.of() : item);
    }

    /** Forgets that {@code eventId} failed on this item (it was skipped since: its status says so now). */
    void forgetFailure(String pk, String eventId) {
        failedEventsUpdate(pk, SetUpdate.DELETE, eventId);
    }

    /** DynamoDB's two update actions on a set. */
    private enum SetUpdate {
        ADD,
        DELETE
    }

    /** Adds {@code eventId} to, or deletes it from, the item's failed events: one unconditional write. */
    private void failedEventsUpdate(String pk, SetUpdate action, String eventId) {
        table.dynamo()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(pk))
                        .updateExpression(action.name() + " #failed :events")
                        .expressionAttributeNames(Map.of("#failed", FAILED_EVENTS))
                        .expressionAttributeValues(Map.of(":events", AttributeValue.fromSs(List.of(eventId))))
                        .overrideConfiguration(table::timeout));
    }

    /** Give-ups that still refuse this receive: recent ones, noted after the message was first received. */
    Instant giveUpsSince(SyncStateStore.Receipt receipt) {
        Instant recent = table.clock().instant().minus(SyncStateStore.GIVE_UP_MEMORY);
        return receipt.firstReceivedAt().isAfter(recent) ? receipt.firstReceivedAt() : recent;
    }
}
