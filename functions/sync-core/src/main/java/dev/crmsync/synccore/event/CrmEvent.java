package dev.crmsync.synccore.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * One validated CRM change, as the event contract (events/README.md) defines it.
 *
 * @param eventId       the CRM's id of this change: the idempotency key (falls back to the envelope id)
 * @param detailType    e.g. {@code account.upserted}
 * @param object        contact | account | deal
 * @param recordId      the CRM's id of the record
 * @param version       strictly increasing per record
 * @param occurredAt    when the change happened in the CRM
 * @param origin        who made the change; an integration's own name means an echo of its write-back
 * @param changedFields the fields this change touched, when the CRM says so
 * @param data          the full current state of the synced fields
 */
public record CrmEvent(
        String eventId,
        String detailType,
        String object,
        String recordId,
        long version,
        Instant occurredAt,
        String origin,
        List<String> changedFields,
        ObjectNode data) {

    /** A text field of {@code data}, or null when absent or JSON null. */
    public String text(String field) {
        JsonNode node = data.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    public JsonNode field(String field) {
        return data.path(field);
    }
}
