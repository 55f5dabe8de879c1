package dev.crmsync.synccore.state;

import static dev.crmsync.synccore.state.StateAttributes.*;
import static dev.crmsync.synccore.state.StateTable.failedEvents;
import static dev.crmsync.synccore.state.StateTable.key;
import static dev.crmsync.synccore.state.StateTable.n;
import static dev.crmsync.synccore.state.StateTable.number;
import static dev.crmsync.synccore.state.StateTable.s;
import static dev.crmsync.synccore.state.StateTable.text;
import static dev.crmsync.synccore.state.StateTable.toAttributeMap;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The record and action items' leases, where the invariants are written: a claim takes the lease
 * on condition that nothing newer was applied or attempted; a commit stores what was applied on
 * condition that the lease is still this attempt's; a release after a retryable failure drops the
 * lease and notes the failure in the same write. Each is one conditional UpdateItem.
 */
final class RecordLeases {
    private final StateTable table;
    private final FailureNotes notes;

    RecordLeases(StateTable table, FailureNotes notes) {
        this.table = table;
        this.notes = notes;
    }

    /**
     * Claims a record for one version: succeeds only if the applied version is lower than
     * {@code version}, no attempt at a newer version was made (it may have reached the vendor, and
     * is retried until it is applied or dead-lettered), no other live lease is held, and this very
     * message did not just fail permanently here. One conditional UpdateItem.
     */
    Claim claimRecord(String pk, LeaseToken token, long version, Instant leaseUntil, SyncStateStore.Receipt receipt) {
        return claimRecord(pk, token, version, leaseUntil, receipt, Set.of());
    }

    /**
     * The same claim, which also adds {@code vendorKeys} (the vendor keys this event may write) to
     * the record's live keys in the same write: known before any vendor call, they stay known until
     * a commit reports them removed, whatever happens to this attempt.
     */
    Claim claimRecord(
            String pk,
            LeaseToken token,
            long version,
            Instant leaseUntil,
            SyncStateStore.Receipt receipt,
            Set<String> vendorKeys) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#applied", APPLIED_VERSION, "#attempted", ATTEMPTED_VERSION, "#attemptedEvent", ATTEMPTED_EVENT));
        Map<String, AttributeValue> values = new HashMap<>();
        // Noted in the claim itself, so that a crash right after the vendor call leaves it noted too.
        String alsoUpdate = ", #attempted = :version, #attemptedEvent = :event";
        if (!vendorKeys.isEmpty()) {
            names.put("#live", LIVE_KEYS);
            values.put(":keys", AttributeValue.fromSs(List.copyOf(vendorKeys)));
            alsoUpdate += " ADD #live :keys";
        }
        try {
            return claimed(
                    takeLease(
                            pk,
                            token,
                            version,
                            leaseUntil,
                            receipt,
                            "(attribute_not_exists(#applied) OR #applied < :version)"
                                    + " AND (attribute_not_exists(#attempted) OR #attempted <= :version)",
                            alsoUpdate,
                            names,
                            values),
                    Map.of(),
                    vendorKeys);
        } catch (ConditionalCheckFailedException e) {
            return ClaimRefusal.ofRecord(
                    itemAtRefusal(pk, e), token.eventId(), version, receipt, notes.giveUpsSince(receipt));
        }
    }

    /**
     * Claims a one-time action by its business key: succeeds unless the action is completed,
     * another attempt holds a live lease on it, or this very message just failed permanently here.
     */
    Claim claimAction(String pk, LeaseToken token, Instant leaseUntil, SyncStateStore.Receipt receipt) {
        return claimAction(pk, token, leaseUntil, receipt, Map.of());
    }

    /**
     * The same claim, which also stores {@code terms} (what the action is made of) unless an earlier
     * claim stored some, in the same write: the claim returns the terms stored first, so every
     * attempt at the action, whichever event it serves, performs it with the same parameters.
     */
    Claim claimAction(
            String pk,
            LeaseToken token,
            Instant leaseUntil,
            SyncStateStore.Receipt receipt,
            Map<String, String> terms) {
        Map<String, String> names = new HashMap<>(Map.of("#status", ACTION_STATUS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":completed", s(COMPLETED)));
        String pinTerms = "";
        if (!terms.isEmpty()) {
            names.put("#terms", ACTION_TERMS);
            values.put(":terms", AttributeValue.fromM(toAttributeMap(terms)));
            pinTerms = ", #terms = if_not_exists(#terms, :terms)";
        }
        try {
            return claimed(
                    takeLease(
                            pk,
                            token,
                            0,
                            leaseUntil,
                            receipt,
                            "attribute_not_exists(#status) OR #status <> :completed",
                            pinTerms,
                            names,
                            values),
                    terms,
                    Set.of());
        } catch (ConditionalCheckFailedException e) {
            return ClaimRefusal.ofAction(itemAtRefusal(pk, e), token.eventId(), receipt, notes.giveUpsSince(receipt));
        }
    }

    /**
     * The item that refused a claim: the image the failed write returned, or — on a server that
     * ignores {@code ReturnValuesOnConditionCheckFailure} (dynalite) — one strongly consistent read.
     * The read may see a later state than the refusal did (a lease released meanwhile); the
     * classification then says busy, a short retry, never a skip it cannot justify.
     */
    private Map<String, AttributeValue> itemAtRefusal(String pk, ConditionalCheckFailedException e) {
        if (e.hasItem() && !e.item().isEmpty()) {
            return e.item();
        }
        Map<String, AttributeValue> item = table.dynamo()
                .getItem(b -> b.tableName(table.name())
                        .key(key(pk))
                        .consistentRead(true)
                        .overrideConfiguration(table::timeout))
                .item();
        return item == null ? Map.of() : item;
    }

    /**
     * The write both claims share: take the lease (token, version, until) if {@code notDone}
     * holds, no live lease exists and this message is not one that just gave up here, and apply
     * {@code alsoUpdate} (more of the SET clause, or another clause) with it. Returns the
     * item as it was; on a failed condition the exception carries the item as it is
     * ({@code ALL_OLD}), which says why.
     */
    private Map<String, AttributeValue> takeLease(
            String pk,
            LeaseToken token,
            long version,
            Instant leaseUntil,
            SyncStateStore.Receipt receipt,
            String notDone,
            String alsoUpdate,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.putAll(Map.of(
                "#owner",
                LEASE_OWNER,
                "#event",
                LEASE_EVENT,
                "#lv",
                LEASE_VERSION,
                "#until",
                LEASE_UNTIL,
                "#gaveUp",
                GAVE_UP_MESSAGE,
                "#gaveUpAt",
                GAVE_UP_AT,
                "#gaveUpReceive",
                GAVE_UP_RECEIVE));
        allNames.putAll(Map.of("#gaveUps", GAVE_UPS, "#gaveUpMsg", receipt.messageId(), "#resume", RESUME_POINT));
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.putAll(Map.of(
                ":owner",
                s(token.nonce()),
                ":event",
                s(token.eventId()),
                ":version",
                n(version),
                ":until",
                n(leaseUntil.toEpochMilli()),
                ":now",
                n(table.clock().millis()),
                ":msg",
                s(receipt.messageId()),
                ":recent",
                n(notes.giveUpsSince(receipt).toEpochMilli()),
                ":receive",
                n(receipt.receiveCount())));
        return table.dynamo()
                .updateItem(b -> b.tableName(table.name())
                        .key(key(pk))
                        // the resume point goes to this attempt alone: if it dies, its successor starts over
                        .updateExpression("SET #owner = :owner, #event = :event, #lv = :version, #until = :until"
                                + alsoUpdate + " REMOVE #resume")
                        .conditionExpression("(" + notDone + ") AND (attribute_not_exists(#until) OR #until < :now)"
                                + " AND (" + FailureNotes.NOT_GIVEN_UP_BY_THIS_MESSAGE + ")")
                        .expressionAttributeNames(allNames)
                        .expressionAttributeValues(allValues)
                        .returnValues(ReturnValue.ALL_OLD)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .overrideConfiguration(table::timeout))
                .attributes();
    }

    /**
     * Records a record version as applied, with the vendor ids and key generation it ended on, and
     * drops the lease, on condition that the lease is still this attempt's. False when it is not (we
     * ran past it and another attempt took over): the caller retries, and the retry's claim then
     * skips or redoes the work idempotently.
     */
    boolean commitRecord(String pk, LeaseToken token, long version, SyncStateStore.Applied applied) {
        return commit(pk, token, version, applied, Map.of(), Map.of(), "");
    }

    /** Marks an action completed with the vendor ids it produced; same lease condition as records. */
    boolean commitAction(String pk, LeaseToken token, SyncStateStore.Applied applied) {
        return commit(
                pk,
                token,
                0,
                applied,
                Map.of("#status", ACTION_STATUS),
                Map.of(":completed", s(COMPLETED)),
                ", #status = :completed");
    }

    private boolean commit(
            String pk,
            LeaseToken token,
            long version,
            SyncStateStore.Applied applied,
            Map<String, String> extraNames,
            Map<String, AttributeValue> extraValues,
            String extraSet) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#owner",
                LEASE_OWNER,
                "#event",
                LEASE_EVENT,
                "#lv",
                LEASE_VERSION,
                "#until",
                LEASE_UNTIL,
                "#applied",
                APPLIED_VERSION,
                "#appliedEvent",
                APPLIED_EVENT,
                "#at",
                APPLIED_AT,
                "#gen",
                KEY_GENERATION));
        names.putAll(Map.of(
                "#failed",
                FAILED_EVENTS,
                "#gaveUp",
                GAVE_UP_MESSAGE,
                "#gaveUpAt",
                GAVE_UP_AT,
                "#gaveUpClass",
                GAVE_UP_CLASS,
                "#gaveUpReceive",
                GAVE_UP_RECEIVE,
                "#gaveUps",
                GAVE_UPS));
        names.putAll(extraNames);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":owner",
                s(token.nonce()),
                ":eventId",
                s(token.eventId()),
                ":events",
                AttributeValue.fromSs(List.of(token.eventId())),
                ":version",
                n(version),
                ":at",
                s(table.clock().instant().toString()),
                ":gen",
                n(applied.keyGeneration())));
        values.putAll(extraValues);
        String set = "SET #applied = :version, #appliedEvent = :eventId, #at = :at, #gen = :gen";
        String removeLive = "";
        if (applied.externalId() != null) {
            names.putAll(Map.of("#ext", EXTERNAL_ID, "#exts", EXTERNAL_IDS));
            values.putAll(Map.of(
                    ":ext",
                    s(applied.externalId()),
                    ":exts",
                    AttributeValue.fromM(toAttributeMap(applied.externalIds()))));
            set += ", #ext = :ext, #exts = :exts";
            names.put("#live", LIVE_KEYS);
            if (applied.liveKeys().isEmpty()) {
                removeLive = ", #live";
            } else {
                values.put(":live", AttributeValue.fromSs(List.copyOf(applied.liveKeys())));
                set += ", #live = :live";
            }
        }
        String update = set
                + extraSet
                + " REMOVE #owner, #event, #lv, #until, #gaveUp, #gaveUpAt, #gaveUpClass, #gaveUpReceive, #gaveUps"
                + removeLive
                + " DELETE #failed :events";
        try {
            table.dynamo()
                    .updateItem(b -> b.tableName(table.name())
                            .key(key(pk))
                            .updateExpression(update)
                            .conditionExpression("#owner = :owner")
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .overrideConfiguration(table::timeout));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Gives up this attempt's lease after a retryable failure so a newer event is not blocked until
     * it expires, and notes the event among the item's failed events in the same write, so that its
     * later success or skip (a retry or a redrive) is known to need a status update without any read.
     * A no-op when the lease is no longer this attempt's.
     */
    void release(String pk, LeaseToken token) {
        release(pk, token, Optional.empty());
    }

    /** The same release, which also stores where this attempt's lookup stopped, for the next claim to take. */
    void release(String pk, LeaseToken token, Optional<String> resumePoint) {
        Map<String, String> names = new HashMap<>(
                Map.of("#owner", LEASE_OWNER, "#event", LEASE_EVENT, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL));
        names.putAll(FailureNotes.failureNoteNames());
        Map<String, AttributeValue> values = new HashMap<>(FailureNotes.failureNoteValues(token.eventId()));
        values.put(":owner", s(token.nonce()));
        String storeResume = "";
        if (resumePoint.isPresent()) {
            names.put("#resume", RESUME_POINT);
            values.put(":resume", s(resumePoint.get()));
            storeResume = ", #resume = :resume";
        }
        table.conditionalUpdate(
                        pk,
                        "ADD #failed :events SET " + FailureNotes.NOTE_IN_ORDER + storeResume
                                + " REMOVE #owner, #event, #lv, #until",
                        "#owner = :owner",
                        names,
                        values)
                .ifPresent(item -> notes.keepFailureMemoryBounded(pk, item));
    }

    /**
     * The claim's outcome from the item as it was, with what the claim itself wrote: the terms it
     * stored when none were, the keys it added.
     */
    private static Claim claimed(
            Map<String, AttributeValue> old, Map<String, String> termsWritten, Set<String> keysAdded) {
        Map<String, AttributeValue> item = old == null ? Map.of() : old;
        Map<String, String> ids = new LinkedHashMap<>();
        AttributeValue stored = item.get(EXTERNAL_IDS);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((k, v) -> ids.put(k, v.s()));
        }
        Map<String, String> terms = new LinkedHashMap<>(termsWritten);
        AttributeValue storedTerms = item.get(ACTION_TERMS);
        if (storedTerms != null && storedTerms.hasM()) {
            terms.clear();
            storedTerms.m().forEach((k, v) -> terms.put(k, v.s()));
        }
        Set<String> live = new LinkedHashSet<>(keysAdded);
        AttributeValue storedKeys = item.get(LIVE_KEYS);
        if (storedKeys != null && storedKeys.hasSs()) {
            live.addAll(storedKeys.ss());
        }
        return new Claim.Claimed(
                text(item, EXTERNAL_ID),
                Map.copyOf(ids),
                item.containsKey(LEASE_OWNER),
                failedEvents(item),
                number(item, KEY_GENERATION).orElse(0L).intValue(),
                Map.copyOf(terms),
                Set.copyOf(live),
                text(item, RESUME_POINT));
    }
}
