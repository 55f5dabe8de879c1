package dev.crmsync.faultrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.harness.IntegrationHarness;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What an integration's DLQ holds at one moment, by event id, and whether each message has a current
 * status item ({@code FAILED_PERMANENT}, keyed by the event id, or by the SQS message id for a body
 * that names none). Read without taking anything out: every message received is made visible again.
 */
final class DeadLetters {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MALFORMED_ID = Pattern.compile("\"(malformed-\\d+)\"");

    private final Map<String, Boolean> statusByEvent = new HashMap<>();
    private final Map<String, String> reasonByEvent = new HashMap<>();

    static DeadLetters none() {
        return new DeadLetters();
    }

    /** A DLQ holding these event ids, each with (true) or without (false) a current status item. */
    static DeadLetters of(Map<String, Boolean> statusByEvent) {
        DeadLetters letters = new DeadLetters();
        letters.statusByEvent.putAll(statusByEvent);
        return letters;
    }

    static DeadLetters read(IntegrationHarness harness) {
        DeadLetters letters = new DeadLetters();
        List<Message> all = harness.receiveAllOfTheDlq(Duration.ofSeconds(120));
        for (Message message : all) {
            String eventId = eventId(message.body());
            String statusKey = eventId != null && !eventId.startsWith("malformed-") ? eventId : message.messageId();
            Map<String, AttributeValue> status = harness.statusItem(statusKey);
            boolean current = status != null
                    && status.containsKey("outcome")
                    && "FAILED_PERMANENT".equals(status.get("outcome").s());
            String key = eventId != null ? eventId : "unknown:" + message.messageId();
            letters.statusByEvent.merge(key, current, Boolean::logicalOr);
            if (status != null && status.containsKey("errorClass")) {
                letters.reasonByEvent.put(
                        key,
                        status.get("errorClass").s()
                                + (status.containsKey("reason")
                                        ? ": " + status.get("reason").s()
                                        : ""));
            }
        }
        harness.returnToTheDlq(all);
        return letters;
    }

    private static String eventId(String body) {
        try {
            JsonNode detail = JSON.readTree(body).path("detail");
            return detail.hasNonNull("eventId") ? detail.get("eventId").asText() : null;
        } catch (IOException notJson) {
            Matcher m = MALFORMED_ID.matcher(body);
            return m.find() ? m.group(1) : null;
        }
    }

    boolean has(String eventId) {
        return statusByEvent.containsKey(eventId);
    }

    boolean hasStatus(String eventId) {
        return Boolean.TRUE.equals(statusByEvent.get(eventId));
    }

    /** The status item's error class and reason, as on-call reads them; empty when there is none. */
    String reason(String eventId) {
        return reasonByEvent.getOrDefault(eventId, "");
    }

    int size() {
        return statusByEvent.size();
    }
}
