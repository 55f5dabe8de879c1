package dev.crmsync.synccore.state;

import static dev.crmsync.synccore.state.StateAttributes.EXPIRES_AT;
import static dev.crmsync.synccore.state.StateAttributes.PK;
import static dev.crmsync.synccore.state.StateTable.key;
import static dev.crmsync.synccore.state.StateTable.n;
import static dev.crmsync.synccore.state.StateTable.number;
import static dev.crmsync.synccore.state.StateTable.s;
import static dev.crmsync.synccore.state.StateTable.text;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The status items: one per event that failed or was dead-lettered (and corrected when it later
 * succeeds), what on-call reads; each expires by TTL after the DLQ's retention.
 */
final class StatusItems {
    private final StateTable table;
    private final Duration statusTtl;

    StatusItems(StateTable table, Duration statusTtl) {
        this.table = table;
        this.statusTtl = statusTtl;
    }

    /** Writes (or overwrites) the status item of an event; it expires by TTL after the DLQ's retention. */
    void putStatus(SyncStatus status) {
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
        table.dynamo().putItem(b -> b.tableName(table.name()).item(item).overrideConfiguration(table::timeout));
    }

    /** The status item of an event, if one was written and has not expired (judged by the store's clock). */
    Optional<SyncStatus> status(String integration, String eventId) {
        Map<String, AttributeValue> item = table.dynamo()
                .getItem(b -> b.tableName(table.name())
                        .key(key(StateKey.status(integration, eventId)))
                        .consistentRead(true))
                .item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        // DynamoDB deletes expired items lazily (up to days later): an expired item is treated as gone.
        if (number(item, EXPIRES_AT)
                .filter(exp -> exp <= table.clock().instant().getEpochSecond())
                .isPresent()) {
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
}
