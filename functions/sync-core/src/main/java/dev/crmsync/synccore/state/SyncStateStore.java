package dev.crmsync.synccore.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The state table's hot path. An applied record costs two single-item conditional writes (claim,
 * commit) and no transaction; a duplicate costs one failed conditional write, whose
 * {@code ALL_OLD} image says why it failed, so DynamoDB needs no read to decide (a server that
 * returns no image costs one consistent read instead: {@link ClaimRefusal}).
 */
public final class SyncStateStore {
    static final String PK = "pk";
    static final String APPLIED_VERSION = "appliedVersion";
    static final String APPLIED_EVENT = "appliedEventId";
    static final String APPLIED_AT = "appliedAt";
    static final String EXTERNAL_ID = "externalId";
    static final String EXTERNAL_IDS = "externalIds";
    static final String LEASE_OWNER = "leaseOwner";
    static final String LEASE_VERSION = "leaseVersion";
    static final String LEASE_UNTIL = "leaseUntil";
    static final String ACTION_STATUS = "actionStatus";
    static final String COMPLETED = "COMPLETED";
    static final String EXPIRES_AT = "expiresAt";
    static final String FAILED_EVENT = "failedEventId";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration statusTtl;

    public SyncStateStore(DynamoDbClient dynamo, String table, Clock clock, Duration statusTtl) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.statusTtl = statusTtl;
    }

    /**
     * Claims a record for one version: succeeds only if the applied version is lower than
     * {@code version} and no other live lease is held. One conditional UpdateItem.
     */
    public Claim claimRecord(String pk, String eventId, long version, Instant leaseUntil) {
        try {
            return claimed(takeLease(pk, eventId, version, leaseUntil,
                    "attribute_not_exists(#applied) OR #applied < :version",
                    Map.of("#applied", APPLIED_VERSION), Map.of()));
        } catch (ConditionalCheckFailedException e) {
            return ClaimRefusal.ofRecord(itemAtRefusal(pk, e), eventId, version);
        }
    }

    /**
     * Claims a one-time action by its business key: succeeds unless the action is completed or
     * another attempt holds a live lease on it.
     */
    public Claim claimAction(String pk, String eventId, Instant leaseUntil) {
        try {
            return claimed(takeLease(pk, eventId, 0, leaseUntil,
                    "attribute_not_exists(#status) OR #status <> :completed",
                    Map.of("#status", ACTION_STATUS), Map.of(":completed", s(COMPLETED))));
        } catch (ConditionalCheckFailedException e) {
            return ClaimRefusal.ofAction(itemAtRefusal(pk, e));
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
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    /**
     * The write both claims share: take the lease (owner, version, until) if {@code notDone}
     * holds and no live lease exists. Returns the item as it was; on a failed condition the
     * exception carries the item as it is ({@code ALL_OLD}), which says why.
     */
    private Map<String, AttributeValue> takeLease(String pk, String eventId, long version, Instant leaseUntil, String notDone,
                                                  Map<String, String> names, Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.putAll(Map.of("#owner", LEASE_OWNER, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL));
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.putAll(Map.of(":owner", s(eventId), ":version", n(version),
                ":until", n(leaseUntil.toEpochMilli()), ":now", n(clock.millis())));
        return dynamo.updateItem(b -> b.tableName(table)
                        .key(key(pk))
                        .updateExpression("SET #owner = :owner, #lv = :version, #until = :until")
                        .conditionExpression("(" + notDone + ") AND (attribute_not_exists(#until) OR #until < :now)")
                        .expressionAttributeNames(allNames)
                        .expressionAttributeValues(allValues)
                        .returnValues(ReturnValue.ALL_OLD)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))
                .attributes();
    }

    /**
     * Records a record version as applied and drops the lease, on condition that the lease is
     * still ours. False when it is not (we ran past it and another attempt took over): the caller
     * retries, and the retry's claim then skips or redoes the work idempotently.
     */
    public boolean commitRecord(String pk, String eventId, long version, String externalId, Map<String, String> externalIds) {
        return commit(pk, eventId, version, externalId, externalIds, false);
    }

    /** Marks an action completed with the vendor ids it produced; same lease condition as records. */
    public boolean commitAction(String pk, String eventId, String externalId, Map<String, String> externalIds) {
        return commit(pk, eventId, 0, externalId, externalIds, true);
    }

    private boolean commit(String pk, String eventId, long version, String externalId, Map<String, String> externalIds, boolean action) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#owner", LEASE_OWNER, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL,
                "#applied", APPLIED_VERSION, "#event", APPLIED_EVENT, "#at", APPLIED_AT,
                "#ext", EXTERNAL_ID, "#exts", EXTERNAL_IDS, "#failed", FAILED_EVENT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":owner", s(eventId), ":version", n(version), ":at", s(clock.instant().toString()),
                ":ext", s(externalId), ":exts", AttributeValue.fromM(toAttributeMap(externalIds))));
        String set = "SET #applied = :version, #event = :owner, #at = :at, #ext = :ext, #exts = :exts";
        if (action) {
            names.put("#status", ACTION_STATUS);
            values.put(":completed", s(COMPLETED));
            set += ", #status = :completed";
        }
        String update = set + " REMOVE #owner, #lv, #until, #failed";
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk))
                    .updateExpression(update)
                    .conditionExpression("#owner = :owner AND #lv = :version")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Gives up our lease after a failure so a newer event is not blocked until it expires, and
     * notes the failed event in the same write, so that its later success (a retry or a redrive)
     * is known to need a status update without any read. A no-op when the lease is no longer ours.
     */
    public void release(String pk, String eventId) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk))
                    .updateExpression("SET #failed = :owner REMOVE #owner, #lv, #until")
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", LEASE_OWNER, "#lv", LEASE_VERSION, "#until", LEASE_UNTIL,
                            "#failed", FAILED_EVENT))
                    .expressionAttributeValues(Map.of(":owner", s(eventId))));
        } catch (ConditionalCheckFailedException e) {
            // someone else holds it now: nothing of ours to release
        }
    }

    /**
     * The vendor ids of several records in one strongly consistent BatchGetItem (the deal's
     * account → its Stripe customer). Keys not found are absent from the result.
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
            while (request != null && !request.isEmpty()) {
                Map<String, KeysAndAttributes> pending = request;
                var response = dynamo.batchGetItem(b -> b.requestItems(pending));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    text(item, EXTERNAL_ID).ifPresent(ext -> found.put(item.get(PK).s(), ext));
                }
                request = response.hasUnprocessedKeys() && !response.unprocessedKeys().isEmpty()
                        ? response.unprocessedKeys() : null;
            }
        }
        return found;
    }

    /** Writes (or overwrites) the status item of an event; it expires by TTL after the DLQ's retention. */
    public void putStatus(SyncStatus status) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(StateKey.status(status.integration(), status.eventId())));
        item.put("integration", s(status.integration()));
        item.put("eventId", s(status.eventId()));
        item.put("messageId", s(status.messageId()));
        item.put("outcome", s(status.outcome()));
        item.put("attempts", n(status.attempts()));
        item.put("at", s(status.at().toString()));
        item.put(EXPIRES_AT, n(status.at().plus(statusTtl).getEpochSecond()));
        if (status.detailType() != null) item.put("detailType", s(status.detailType()));
        if (status.recordId() != null) item.put("recordId", s(status.recordId()));
        if (status.errorClass() != null) item.put("errorClass", s(status.errorClass()));
        if (status.reason() != null) item.put("reason", s(status.reason()));
        dynamo.putItem(b -> b.tableName(table).item(item));
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

    private static Claim claimed(Map<String, AttributeValue> old) {
        Map<String, AttributeValue> item = old == null ? Map.of() : old;
        Map<String, String> ids = new LinkedHashMap<>();
        AttributeValue stored = item.get(EXTERNAL_IDS);
        if (stored != null && stored.hasM()) {
            stored.m().forEach((k, v) -> ids.put(k, v.s()));
        }
        return new Claim.Claimed(text(item, EXTERNAL_ID), Map.copyOf(ids), item.containsKey(LEASE_OWNER),
                text(item, FAILED_EVENT));
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

    private static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    private static Optional<Long> number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? Optional.empty() : Optional.of(Long.parseLong(v.n()));
    }
}
