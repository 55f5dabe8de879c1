package dev.crmsync.synccore.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.SyncFailure;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns an SQS body (an EventBridge envelope) into a {@link CrmEvent}, or into a permanent
 * failure with a reason on-call can act on. Nothing invalid passes this point.
 */
public final class EventParser {
    /** EventBridge's own limit for one entry; anything larger did not come through the bus. */
    public static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;

    private final ObjectMapper mapper;
    private final SchemaValidator validator;
    private final int maxBodyBytes;

    public EventParser(ObjectMapper mapper, SchemaValidator validator, int maxBodyBytes) {
        this.mapper = mapper;
        this.validator = validator;
        this.maxBodyBytes = maxBodyBytes;
    }

    public ParsedMessage parse(String body, String messageId) {
        if (body == null || body.isBlank()) {
            return invalid(messageId, null, null, ErrorClass.MALFORMED_JSON, "empty message body");
        }
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBodyBytes) {
            return invalid(
                    messageId,
                    null,
                    null,
                    ErrorClass.OVERSIZED,
                    "message body is " + size + " bytes; the limit is " + maxBodyBytes);
        }
        JsonNode envelope;
        try {
            envelope = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return invalid(
                    messageId, null, null, ErrorClass.MALFORMED_JSON, "body is not JSON: " + e.getOriginalMessage());
        }
        if (!envelope.isObject()) {
            return invalid(messageId, null, null, ErrorClass.MALFORMED_JSON, "body is not a JSON object");
        }
        MessageIds ids = MessageIds.of(envelope, messageId);
        String detailType = ids.detailType();
        JsonNode detail = envelope.get("detail");
        String eventId = ids.eventId();
        String recordId = ids.recordId();
        if (detailType == null) {
            return invalid(eventId, null, recordId, ErrorClass.SCHEMA_INVALID, "envelope has no detail-type");
        }
        if (detail == null || !detail.isObject()) {
            return invalid(eventId, detailType, recordId, ErrorClass.SCHEMA_INVALID, "envelope has no detail object");
        }
        if (!validator.knows(detailType)) {
            return invalid(
                    eventId,
                    detailType,
                    recordId,
                    ErrorClass.UNKNOWN_DETAIL_TYPE,
                    "unknown detail-type '" + detailType + "'; known: " + validator.detailTypes());
        }
        Optional<String> notFinite = firstNumberNoDoubleHolds(detail);
        if (notFinite.isPresent()) {
            return invalid(
                    eventId,
                    detailType,
                    recordId,
                    ErrorClass.SCHEMA_INVALID,
                    "detail violates " + detailType + " schema: " + notFinite.get()
                            + ": not a finite number (a JSON number must lie within a double's range, about ±1.8e308)");
        }
        List<String> violations = validator.validate(detailType, detail);
        if (!violations.isEmpty()) {
            return invalid(
                    eventId,
                    detailType,
                    recordId,
                    ErrorClass.SCHEMA_INVALID,
                    "detail violates " + detailType + " schema: " + String.join("; ", violations));
        }
        Instant occurredAt;
        try {
            occurredAt =
                    OffsetDateTime.parse(detail.path("occurredAt").asText()).toInstant();
        } catch (DateTimeParseException e) {
            // The schema's pattern admits dates no calendar has (Feb 30, second 60).
            return invalid(
                    eventId,
                    detailType,
                    recordId,
                    ErrorClass.SCHEMA_INVALID,
                    "detail violates " + detailType + " schema: $.occurredAt: not a valid instant: "
                            + e.getParsedString());
        }
        List<String> changed = new ArrayList<>();
        detail.path("changedFields").forEach(n -> changed.add(n.asText()));
        JsonNode data = detail.get("data");
        ObjectNode dataObject = data != null && data.isObject() ? (ObjectNode) data : mapper.createObjectNode();
        return new ParsedMessage.Valid(new CrmEvent(
                eventId,
                detailType,
                detail.path("object").asText(),
                detail.path("recordId").asText(),
                detail.path("version").asLong(),
                occurredAt,
                detail.path("origin").asText(),
                List.copyOf(changed),
                dataObject));
    }

    /**
     * The JSON pointer of the first number in {@code detail}, named field or not, that a double
     * cannot hold: Jackson reads {@code 1e400} as Infinity (and a 400-digit integer as one no
     * double holds), which JSON Schema's {@code number} and {@code minimum} let through, and which
     * no connector can map. Bounded by the body's size; iterative, so no nesting overflows the stack.
     */
    private static Optional<String> firstNumberNoDoubleHolds(JsonNode detail) {
        Deque<Map.Entry<String, JsonNode>> pending = new ArrayDeque<>();
        pending.push(Map.entry("", detail));
        while (!pending.isEmpty()) {
            Map.Entry<String, JsonNode> next = pending.pop();
            JsonNode node = next.getValue();
            if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
                return Optional.of(next.getKey());
            }
            if (node.isObject()) {
                node.properties()
                        .forEach(field ->
                                pending.push(Map.entry(next.getKey() + "/" + field.getKey(), field.getValue())));
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    pending.push(Map.entry(next.getKey() + "/" + i, node.get(i)));
                }
            }
        }
        return Optional.empty();
    }

    private static ParsedMessage invalid(
            String eventId, String detailType, String recordId, ErrorClass errorClass, String reason) {
        return new ParsedMessage.Invalid(eventId, detailType, recordId, new SyncFailure.Permanent(errorClass, reason));
    }
}
