package dev.crmsync.synccore.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * The ids an SQS body names, read as far as it can be read and without validating anything: what
 * a status record is keyed and labelled by when the event is not (yet) valid.
 *
 * @param eventId    {@code detail.eventId}; else the envelope's {@code id}; else the SQS message id
 * @param detailType the envelope's {@code detail-type}, or null
 * @param recordId   {@code detail.recordId}, or null
 */
public record MessageIds(String eventId, String detailType, String recordId) {

    static MessageIds of(JsonNode envelope, String messageId) {
        JsonNode detail = envelope.get("detail");
        String eventId = Optional.ofNullable(detail)
                .map(d -> d.path("eventId").asText(null))
                .filter(s -> !s.isBlank())
                .orElseGet(() -> envelope.path("id").asText(messageId));
        String recordId = detail == null ? null : detail.path("recordId").asText(null);
        return new MessageIds(eventId, envelope.path("detail-type").asText(null), recordId);
    }

    /** The ids of {@code body}; only the message id when it is not a JSON object. */
    public static MessageIds of(ObjectMapper mapper, String body, String messageId) {
        try {
            JsonNode envelope = body == null ? null : mapper.readTree(body);
            if (envelope != null && envelope.isObject()) {
                return of(envelope, messageId);
            }
        } catch (IOException notJson) {
            // named by its message id, as an unparseable body always is
        }
        return new MessageIds(messageId, null, null);
    }
}
