package dev.crmsync.synccore.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The state table's hot path. An applied record costs two single-item conditional writes (claim,
 * commit) and no transaction; a duplicate costs one failed conditional write, whose
 * {@code ALL_OLD} image says why it failed, so DynamoDB needs no read to decide (a server that
 * returns no image costs one consistent read instead: {@link ClaimRefusal}).
 *
 * <p>Every request carries an API call timeout that ends by {@link #endingBy}'s instant, so no SDK
 * retry can carry a call past the time the invocation has for it.
 */
public final class SyncStateStore {
    private static final Logger LOG = LoggerFactory.getLogger(SyncStateStore.class);
    static final String PK = "pk";
    static final String APPLIED_VERSION = "appliedVersion";
    static final String APPLIED_EVENT = "appliedEventId";
    static final String APPLIED_AT = "appliedAt";
    static final String EXTERNAL_ID = "externalId";
    static final String EXTERNAL_IDS = "externalIds";
    static final String KEY_GENERATION = "keyGeneration";
    static final String ACTION_TERMS = "actionTerms";
    static final String LIVE_KEYS = "liveVendorKeys";
    /** Where a failed attempt's lookup stopped ({@code SyncResult.Failed#resumePoint}); the next claim takes it. */
    static final String RESUME_POINT = "resumePoint";
    /**
     * The newest version any attempt claimed, kept after a failed attempt releases its lease: that
     * attempt may have reached the vendor (a timeout or a 5xx after the work was done), so no older
     * version may be sent after it.
     */
    static final String ATTEMPTED_VERSION = "attemptedVersion";
    static final String ATTEMPTED_EVENT = "attemptedEventId";
    static final String LEASE_OWNER = "leaseOwner";
    static final String LEASE_EVENT = "leaseEvent";
    static final String LEASE_VERSION = "leaseVersion";
    static final String LEASE_UNTIL = "leaseUntil";
    static final String ACTION_STATUS = "actionStatus";
    static final String COMPLETED = "COMPLETED";
    static final String EXPIRES_AT = "expiresAt";
    static final String FAILED_EVENTS = "failedEvents";
    static final String GAVE_UP_MESSAGE = "gaveUpMessageId";
    static final String GAVE_UP_AT = "gaveUpAt";
    static final String GAVE_UP_CLASS = "gaveUpErrorClass";
    static final String GAVE_UP_RECEIVE = "gaveUpReceiveCount";
    /**
     * The item's give-ups by message id, each {@code {gaveUpAt, gaveUpErrorClass, gaveUpReceiveCount}}.
     * (Items written before it hold one give-up in top-level attributes of those names; still honoured.)
     */
    static final String GAVE_UPS = "gaveUps";
    /** The item's failed events in the order they failed (ids may repeat or have recovered since): what the bound evicts by. */
    static final String FAILED_ORDER = "failedEventsOrder";

    /**
     * How long a message that failed permanently is refused at once when it comes back (visibility 0,
     * only to be counted toward the DLQ), on a later receive of the same message. A redrive starts
     * the receive count again, so it is always tried again; so is anything after this memory.
     */
    public static final Duration GIVE_UP_MEMORY = Duration.ofMinutes(5);
    /**
     * How many give-ups one item remembers: the latest, by message. More messages giving up on one
     * record within {@link #GIVE_UP_MEMORY} than this is a burst no CRM sends; the oldest is then
     * forgotten, and its next receive on the way to the DLQ is tried once more (a vendor call, and
     * its give-up, status record and {@code sync.failed} event again).
     */
    public static final int GIVE_UPS_REMEMBERED = 16;
    /**
     * How many failed events one item remembers: the latest. An event forgotten here (50 newer
     * events of the record failed since, none of which was resolved) keeps its status record as it
     * was when it is later applied or skipped: {@code RETRYING} or {@code FAILED_PERMANENT}, not
     * corrected. The bound keeps the item small: every write of it costs by its size.
     */
    public static final int FAILED_EVENTS_REMEMBERED = 50;
    /** Notes an event at the end of the order of failures (creating the list on the item's first failure). */
    private static final String NOTE_IN_ORDER = "#order = list_append(if_not_exists(#order, :noEvents), :eventInOrder)";
    private static final Duration SHORTEST_CALL = Duration.ofMillis(50);
    /** No recent give-up of this message on an earlier receive of it. */
    private static final String NOT_GIVEN_UP_BY_THIS_MESSAGE =
            "(attribute_not_exists(#gaveUp) OR #gaveUp <> :msg OR #gaveUpAt < :recent OR #gaveUpReceive >= :receive)"
                    + " AND (attribute_not_exists(#gaveUps.#gaveUpMsg) OR #gaveUps.#gaveUpMsg.#gaveUpAt < :recent"
                    + " OR #gaveUps.#gaveUpMsg.#gaveUpReceive >= :receive)";

    /** One receive of an SQS message: a redrive starts its receive count again. */
    /**
     * This receive of a message: its id, its receive count, and when SQS first handed it out
     * ({@code ApproximateFirstReceiveTimestamp}). A give-up noted before the message was first
     * received belongs to another message under the same id: SQS gives a redriven message a new id,
     * but a server that keeps the id (ElasticMQ's move task does) starts its count and first receive
     * again, and the redrive must be tried, not refused.
     */
    public record Receipt(String messageId, int receiveCount, Instant firstReceivedAt) {}

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration statusTtl;
    private final Optional<Instant> callsEndBy;

    public SyncStateStore(DynamoDbClient dynamo, String table, Clock clock, Duration statusTtl) {
        this(dynamo, table, clock, statusTtl, Optional.empty());
    }

    private SyncStateStore(DynamoDbClient dynamo, String table, Clock clock, Duration statusTtl, Optional<Instant> callsEndBy) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.statusTtl = statusTtl;
        this.callsEndBy = callsEndBy;
    }

    /** The same store whose every call (SDK retries included) ends by {@code instant}. */
    public SyncStateStore endingBy(Instant instant) {
        return new SyncStateStore(dynamo, table, clock, statusTtl, Optional.of(instant));
    }

    /**
     * Claims a record for one version: succeeds only if the applied version is lower than
     * {@code version}, no attempt at a newer version was made (it may have reached the vendor, and
     * is retried until it is applied or dead-lettered), no other live lease is held, and this very
     * message did not just fail permanently here. One conditional UpdateItem.
     */
    public Claim claimRecord(String pk, LeaseToken token, long version, Instant leaseUntil, Receipt receipt) {
        return claimRecord(pk, token, version, leaseUntil, receipt, Set.of());
    }

    /**
     * The same claim, which also adds {@code vendorKeys} (the vendor keys this event may write) to
     * the record's live keys in the same write: known before any vendor call, they stay known until
     * a commit reports them removed, whatever happens to this attempt.
     */
    public Claim claimRecord(String pk, LeaseToken token, long version, Instant leaseUntil, Receipt receipt,
                             Set<String> vendorKeys) {
        Map<String, String> names = new HashMap<>(Map.of("#applied", APPLIED_VERSION,
                "#attempted", ATTEMPTED_VERSION, "#attemptedEvent", ATTEMPTED_EVENT));
        Map<String, AttributeValue> values = new HashMap<>();
        // Noted in the claim itself, so that a crash right after the vendor call leaves it noted too.
        String alsoUpdate = ", #attempted = :version, #attemptedEvent = :event";
        if (!vendorKeys.isEmpty()) {
            names.put("#live", LIVE_KEYS);
            values.put(":keys", AttributeValue.fromSs(List.copyOf(vendorKeys)));
            alsoUpdate += " ADD #live :keys";
        }
        try {
            return claimed(takeLease(pk, token, version, leaseUntil, receipt,
                    "(attribute_not_exists(#applied) OR #applied < :version)"
                            + " AND (attribute_not_exists(#attempted) OR #attempted <= :version)",
                    alsoUpdate, names, values), Map.of(), vendorKeys);
        } catch (ConditionalCheckFailedException e) {
            return ClaimRefusal.ofRecord(itemAtRefusal(pk, e), token.eventId(), version, receipt, giveUpsSince(receipt));
        }
    }

    /**
     * Claims a one-time action by its business key: succeeds unless the action is completed,
     * another attempt holds a live lease on it, or this very message just failed permanently here.
     */
    public Claim claimAction(String pk, LeaseToken token, Instant leaseUntil, Receipt receipt) {
        return claimAction(pk, token, leaseUntil, receipt, Map.of());
    }

    /**
     * The same claim, which also stores {@code terms} (what the action is made of) unless an earlier
     * claim stored some, in the same write: the claim returns the terms stored first, so every
     * attempt at the action, whichever event it serves, performs it with the same parameters.
     */
    public Claim claimAction(String pk, LeaseToken token, Instant leaseUntil, Receipt receipt, Map<String, String> terms) {
        Map<String, String> names = new HashMap<>(Map.of("#status", ACTION_STATUS));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":completed", s(COMPLETED)));
        String pinTerms = "";
        if (!terms.isEmpty()) {
            names.put("#terms", ACTION_TERMS);
            values.put(":terms", AttributeValue.fromM(toAttributeMap(terms)));
            pinTerms = ", #terms = if_not_exists(#terms, :terms)";
        }
        try {
            return claimed(takeLease(pk, token, 0, leaseUntil, receipt,
                    "attribute_not_exists(#status) OR #status <> :completed", pinTerms, names, values), terms, Set.of());
        } catch (ConditionalCheckFailedException e) {
            return ClaimRefusal.ofAction(itemAtRefusal(pk, e), token.eventId(), receipt, giveUpsSince(receipt));
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
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)
                .overrideConfiguration(this::timeout)).item();
        return item == null ? Map.of() : item;
    }

    /**
     * The write both claims share: take the lease (token, version, until) if {@code notDone}
     * holds, no live lease exists and this message is not one that just gave up here, and apply
     * {@code alsoUpdate} (more of the SET clause, or another clause) with it. Returns the
     * item as it was; on a failed condition the exception carries the item as it is
     * ({@code ALL_OLD}), which says why.
     */
    private Map<String, AttributeValue> takeLease(String pk, LeaseToken token, long version, Instant leaseUntil, Receipt receipt,
                                                  String notDone, String alsoUpdate, Map<String, String> names,
                                                  Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.putAll(Map.of("#owner", LEASE_OWNER, "#event", LEASE_EVENT, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL,
                "#gaveUp", GAVE_UP_MESSAGE, "#gaveUpAt", GAVE_UP_AT, "#gaveUpReceive", GAVE_UP_RECEIVE));
        allNames.putAll(Map.of("#gaveUps", GAVE_UPS, "#gaveUpMsg", receipt.messageId(), "#resume", RESUME_POINT));
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.putAll(Map.of(":owner", s(token.nonce()), ":event", s(token.eventId()), ":version", n(version),
                ":until", n(leaseUntil.toEpochMilli()), ":now", n(clock.millis()),
                ":msg", s(receipt.messageId()), ":recent", n(giveUpsSince(receipt).toEpochMilli()), ":receive", n(receipt.receiveCount())));
        return dynamo.updateItem(b -> b.tableName(table)
                        .key(key(pk))
                        // the resume point goes to this attempt alone: if it dies, its successor starts over
                        .updateExpression("SET #owner = :owner, #event = :event, #lv = :version, #until = :until" + alsoUpdate
                                + " REMOVE #resume")
                        .conditionExpression("(" + notDone + ") AND (attribute_not_exists(#until) OR #until < :now)"
                                + " AND (" + NOT_GIVEN_UP_BY_THIS_MESSAGE + ")")
                        .expressionAttributeNames(allNames)
                        .expressionAttributeValues(allValues)
                        .returnValues(ReturnValue.ALL_OLD)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                        .overrideConfiguration(this::timeout))
                .attributes();
    }

    /**
     * Records a record version as applied, with the vendor ids and key generation it ended on, and
     * drops the lease, on condition that the lease is still this attempt's. False when it is not (we
     * ran past it and another attempt took over): the caller retries, and the retry's claim then
     * skips or redoes the work idempotently.
     */
    public boolean commitRecord(String pk, LeaseToken token, long version, Applied applied) {
        return commit(pk, token, version, applied, Map.of(), Map.of(), "");
    }

    /** Marks an action completed with the vendor ids it produced; same lease condition as records. */
    public boolean commitAction(String pk, LeaseToken token, Applied applied) {
        return commit(pk, token, 0, applied, Map.of("#status", ACTION_STATUS), Map.of(":completed", s(COMPLETED)),
                ", #status = :completed");
    }

    /**
     * What a commit stores.
     *
     * @param externalId null to keep the mapping as it is (a version handled with nothing sent)
     * @param liveKeys   the record's live vendor keys from now on (stored with the mapping; empty removes them)
     */
    public record Applied(String externalId, Map<String, String> externalIds, int keyGeneration, Set<String> liveKeys) {
        public Applied(String externalId, Map<String, String> externalIds, int keyGeneration) {
            this(externalId, externalIds, keyGeneration, Set.of());
        }
    }

    private boolean commit(String pk, LeaseToken token, long version, Applied applied,
                           Map<String, String> extraNames, Map<String, AttributeValue> extraValues, String extraSet) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#owner", LEASE_OWNER, "#event", LEASE_EVENT, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL,
                "#applied", APPLIED_VERSION, "#appliedEvent", APPLIED_EVENT, "#at", APPLIED_AT, "#gen", KEY_GENERATION));
        names.putAll(Map.of("#failed", FAILED_EVENTS, "#gaveUp", GAVE_UP_MESSAGE, "#gaveUpAt", GAVE_UP_AT,
                "#gaveUpClass", GAVE_UP_CLASS, "#gaveUpReceive", GAVE_UP_RECEIVE, "#gaveUps", GAVE_UPS));
        names.putAll(extraNames);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":owner", s(token.nonce()), ":eventId", s(token.eventId()), ":events", AttributeValue.fromSs(List.of(token.eventId())),
                ":version", n(version), ":at", s(clock.instant().toString()), ":gen", n(applied.keyGeneration())));
        values.putAll(extraValues);
        String set = "SET #applied = :version, #appliedEvent = :eventId, #at = :at, #gen = :gen";
        String removeLive = "";
        if (applied.externalId() != null) {
            names.putAll(Map.of("#ext", EXTERNAL_ID, "#exts", EXTERNAL_IDS));
            values.putAll(Map.of(":ext", s(applied.externalId()), ":exts", AttributeValue.fromM(toAttributeMap(applied.externalIds()))));
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
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk))
                    .updateExpression(update)
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .overrideConfiguration(this::timeout));
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
    public void release(String pk, LeaseToken token) {
        release(pk, token, Optional.empty());
    }

    /** The same release, which also stores where this attempt's lookup stopped, for the next claim to take. */
    public void release(String pk, LeaseToken token, Optional<String> resumePoint) {
        Map<String, String> names = new HashMap<>(Map.of("#owner", LEASE_OWNER, "#event", LEASE_EVENT, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL));
        names.putAll(failureNoteNames());
        Map<String, AttributeValue> values = new HashMap<>(failureNoteValues(token.eventId()));
        values.put(":owner", s(token.nonce()));
        String storeResume = "";
        if (resumePoint.isPresent()) {
            names.put("#resume", RESUME_POINT);
            values.put(":resume", s(resumePoint.get()));
            storeResume = ", #resume = :resume";
        }
        conditionalUpdate(pk, "ADD #failed :events SET " + NOTE_IN_ORDER + storeResume + " REMOVE #owner, #event, #lv, #until",
                "#owner = :owner", names, values).ifPresent(item -> keepFailureMemoryBounded(pk, item));
    }

    /**
     * Records that {@code messageId} gave up on this item (a permanent failure, or its retry window
     * is over) and releases the lease if {@code heldLease} is this attempt's. While the give-up is
     * recent, the same message's claims are refused at once ({@link Claim.FailedPermanently}), so
     * its receives on the way to the DLQ call no vendor and write no status.
     *
     * @return true when this write recorded the give-up, false when this message had already given up here
     */
    public boolean giveUp(String pk, String eventId, Receipt receipt, String errorClass, Optional<LeaseToken> heldLease) {
        Map<String, String> names = new HashMap<>(failureNoteNames());
        names.put("#gaveUps", GAVE_UPS);
        Map<String, AttributeValue> values = new HashMap<>(failureNoteValues(eventId));
        String release = "";
        String condition;
        if (heldLease.isPresent()) {
            names.putAll(Map.of("#owner", LEASE_OWNER, "#event", LEASE_EVENT, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL));
            values.put(":owner", s(heldLease.get().nonce()));
            release = " REMOVE #owner, #event, #lv, #until";
            condition = "#owner = :owner";
        } else {
            names.putAll(Map.of("#gaveUp", GAVE_UP_MESSAGE, "#gaveUpAt", GAVE_UP_AT, "#gaveUpReceive", GAVE_UP_RECEIVE,
                    "#gaveUpMsg", receipt.messageId()));
            values.putAll(Map.of(":msg", s(receipt.messageId()), ":recent", n(giveUpsSince(receipt).toEpochMilli()),
                    ":receive", n(receipt.receiveCount())));
            condition = NOT_GIVEN_UP_BY_THIS_MESSAGE;
        }
        AttributeValue entry = AttributeValue.fromM(Map.of(GAVE_UP_AT, n(clock.millis()), GAVE_UP_CLASS, s(errorClass),
                GAVE_UP_RECEIVE, n(receipt.receiveCount())));
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
            Optional<Map<String, AttributeValue>> written = conditionalUpdate(pk, note + "#gaveUps = :giveUps" + release,
                    "attribute_not_exists(#gaveUps) AND (" + condition + ")", names, wholeValues);
            if (written.isEmpty()) {
                // the map exists, or the condition does not hold
                try {
                    written = conditionalUpdate(pk, note + "#gaveUps.#gaveUpMsg = :giveUp" + release, condition, keyNames, keyValues);
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
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return message != null && message.contains("document path");
    }

    private static Map<String, String> failureNoteNames() {
        return Map.of("#failed", FAILED_EVENTS, "#order", FAILED_ORDER);
    }

    private static Map<String, AttributeValue> failureNoteValues(String eventId) {
        return Map.of(":events", AttributeValue.fromSs(List.of(eventId)),
                ":eventInOrder", AttributeValue.fromL(List.of(s(eventId))), ":noEvents", AttributeValue.fromL(List.of()));
    }

    /**
     * After a write that noted a failure, from the item it left: forgets the oldest failed events and
     * give-ups beyond their bounds ({@link FailureMemory}), in one more write, only when over a bound.
     * Conditioned on the order list as seen, so a failure noted meanwhile is not lost; that
     * failure's own write trims instead. Best effort: an item over its bound for a moment is harmless.
     */
    private void keepFailureMemoryBounded(String pk, Map<String, AttributeValue> item) {
        Optional<FailureMemory.Trim> trim = FailureMemory.of(item, FAILED_EVENTS_REMEMBERED, GIVE_UPS_REMEMBERED);
        if (trim.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>(Map.of("#order", FAILED_ORDER));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":kept",
                AttributeValue.fromL(trim.get().keptOrder().stream().map(SyncStateStore::s).toList())));
        StringBuilder update = new StringBuilder("SET #order = :kept");
        if (!trim.get().forgottenEvents().isEmpty()) {
            names.put("#failed", FAILED_EVENTS);
            values.put(":forgotten", AttributeValue.fromSs(List.copyOf(trim.get().forgottenEvents())));
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
            conditionalUpdate(pk, update.toString(), condition, names, values);
        } catch (DynamoDbException e) {
            // e.g. a commit removed the give-ups meanwhile: nothing left to bound there
            LOG.debug("no trim of the failure memory of {}: {}", pk, e.getClass().getSimpleName());
        }
    }

    /**
     * Notes {@code eventId} among the item's failed events without holding its lease (a wait that
     * claimed nothing), so that its later success or skip updates its status record.
     */
    public void noteFailure(String pk, String eventId) {
        Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(table)
                .key(key(pk))
                .updateExpression("ADD #failed :events SET " + NOTE_IN_ORDER)
                .expressionAttributeNames(failureNoteNames())
                .expressionAttributeValues(failureNoteValues(eventId))
                .returnValues(ReturnValue.ALL_NEW)
                .overrideConfiguration(this::timeout)).attributes();
        keepFailureMemoryBounded(pk, item == null ? Map.of() : item);
    }

    /** Forgets that {@code eventId} failed on this item (it was skipped since: its status says so now). */
    public void forgetFailure(String pk, String eventId) {
        failedEventsUpdate(pk, SetUpdate.DELETE, eventId);
    }

    /** DynamoDB's two update actions on a set. */
    private enum SetUpdate { ADD, DELETE }

    /** Adds {@code eventId} to, or deletes it from, the item's failed events: one unconditional write. */
    private void failedEventsUpdate(String pk, SetUpdate action, String eventId) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(pk))
                .updateExpression(action.name() + " #failed :events")
                .expressionAttributeNames(Map.of("#failed", FAILED_EVENTS))
                .expressionAttributeValues(Map.of(":events", AttributeValue.fromSs(List.of(eventId))))
                .overrideConfiguration(this::timeout));
    }

    /** The item as the write left it; empty when the condition did not hold. */
    private Optional<Map<String, AttributeValue>> conditionalUpdate(String pk, String update, String condition,
                                                                    Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            return Optional.of(dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)
                    .overrideConfiguration(this::timeout)).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * The vendor ids of several records in one strongly consistent BatchGetItem (the deal's
     * account → its Stripe customer). Keys not found are absent from the result. Keys DynamoDB
     * leaves unprocessed are asked again with a growing pause, until the call deadline; if some
     * are still unread then, the read fails rather than report them absent.
     */
    public Map<String, String> externalIds(List<String> pks) {
        Map<String, String> found = new LinkedHashMap<>();
        List<String> unique = pks.stream().distinct().toList();
        for (int from = 0; from < unique.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String pk : unique.subList(from, Math.min(unique.size(), from + 100))) {
                keys.add(key(pk));
            }
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder()
                    .keys(keys).consistentRead(true)
                    .projectionExpression("#pk, #ext").expressionAttributeNames(Map.of("#pk", PK, "#ext", EXTERNAL_ID))
                    .build());
            Duration pause = Duration.ofMillis(25);
            while (true) {
                Map<String, KeysAndAttributes> pending = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(pending).overrideConfiguration(this::timeout));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    text(item, EXTERNAL_ID).ifPresent(ext -> found.put(item.get(PK).s(), ext));
                }
                if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
                    break;
                }
                if (callsEndBy.isPresent() && clock.instant().plus(pause).plus(SHORTEST_CALL).isAfter(callsEndBy.get())) {
                    throw new IllegalStateException("DynamoDB left keys unprocessed until the call deadline (throttled)");
                }
                sleep(pause);
                pause = pause.multipliedBy(2);
                request = response.unprocessedKeys();
            }
        }
        return found;
    }

    /** Writes (or overwrites) the status item of an event; it expires by TTL after the DLQ's retention. */
    public void putStatus(SyncStatus status) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(StateKey.status(status.integration(), status.eventId())));
        item.put("integration", s(status.integration()));
        item.put("eventId", s(StateKey.bounded(status.eventId())));
        item.put("messageId", s(status.messageId()));
        item.put("outcome", s(status.outcome()));
        item.put("attempts", n(status.attempts()));
        item.put("at", s(status.at().toString()));
        item.put(EXPIRES_AT, n(status.at().plus(statusTtl).getEpochSecond()));
        if (status.detailType() != null) item.put("detailType", s(StateKey.bounded(status.detailType())));
        if (status.recordId() != null) item.put("recordId", s(StateKey.bounded(status.recordId())));
        if (status.errorClass() != null) item.put("errorClass", s(status.errorClass()));
        if (status.reason() != null) item.put("reason", s(status.reason()));
        dynamo.putItem(b -> b.tableName(table).item(item).overrideConfiguration(this::timeout));
    }

    /** The status item of an event, if one was written and has not expired (judged by the store's clock). */
    public Optional<SyncStatus> status(String integration, String eventId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(StateKey.status(integration, eventId))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        // DynamoDB deletes expired items lazily (up to days later): an expired item is treated as gone.
        if (number(item, EXPIRES_AT).filter(exp -> exp <= clock.instant().getEpochSecond()).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new SyncStatus(
                text(item, "integration").orElse(integration),
                text(item, "eventId").orElse(eventId),
                text(item, "detailType").orElse(null),
                text(item, "recordId").orElse(null),
                text(item, "messageId").orElse(null),
                text(item, "outcome").orElse(null),
                number(item, "attempts").orElse(0L).intValue(),
                text(item, "errorClass").orElse(null),
                text(item, "reason").orElse(null),
                text(item, "at").map(Instant::parse).orElse(null)));
    }

    /** Give-ups that still refuse this receive: recent ones, noted after the message was first received. */
    private Instant giveUpsSince(Receipt receipt) {
        Instant recent = clock.instant().minus(GIVE_UP_MEMORY);
        return receipt.firstReceivedAt().isAfter(recent) ? receipt.firstReceivedAt() : recent;
    }

    /** The API call timeout of every request: what is left until the calls' end, never below a usable minimum. */
    private void timeout(AwsRequestOverrideConfiguration.Builder config) {
        callsEndBy.ifPresent(end -> {
            Duration left = Duration.between(clock.instant(), end);
            config.apiCallTimeout(left.compareTo(SHORTEST_CALL) < 0 ? SHORTEST_CALL : left);
        });
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading mappings", e);
        }
    }

    /**
     * The claim's outcome from the item as it was, with what the claim itself wrote: the terms it
     * stored when none were, the keys it added.
     */
    private static Claim claimed(Map<String, AttributeValue> old, Map<String, String> termsWritten, Set<String> keysAdded) {
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
        return new Claim.Claimed(text(item, EXTERNAL_ID), Map.copyOf(ids), item.containsKey(LEASE_OWNER),
                failedEvents(item), number(item, KEY_GENERATION).orElse(0L).intValue(), Map.copyOf(terms), Set.copyOf(live),
                text(item, RESUME_POINT));
    }

    static Set<String> failedEvents(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(FAILED_EVENTS);
        return v == null || !v.hasSs() ? Set.of() : Set.copyOf(new LinkedHashSet<>(v.ss()));
    }

    private static Map<String, AttributeValue> toAttributeMap(Map<String, String> values) {
        Map<String, AttributeValue> m = new HashMap<>();
        values.forEach((k, v) -> m.put(k, s(v)));
        return m;
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of(PK, s(pk));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    static Optional<Long> number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? Optional.empty() : Optional.of(Long.parseLong(v.n()));
    }
}
