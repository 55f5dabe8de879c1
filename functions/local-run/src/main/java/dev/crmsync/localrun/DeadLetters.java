package dev.crmsync.localrun;

import dev.crmsync.harness.IntegrationHarness;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The messages of an integration's DLQ by SQS message id, each with what its status item says (error class and
 * reason, as on-call reads them), or null when it has none. Read without taking anything out: every message
 * received is made visible again.
 */
final class DeadLetters {
    private DeadLetters() {}

    /** @param eventIds the event id of each message sent, by message id (a status item is keyed by it) */
    static Map<String, String> read(IntegrationHarness harness, Map<String, String> eventIds) {
        List<Message> all = harness.receiveAllOfTheDlq(Duration.ofSeconds(60));
        Map<String, String> status = new LinkedHashMap<>();
        Map<String, Map<String, AttributeValue>> byMessage = statusItemsByMessage(harness);
        for (Message message : all) {
            String eventId = eventIds.get(message.messageId());
            Map<String, AttributeValue> item = harness.statusItem(eventId != null ? eventId : message.messageId());
            if (item == null || item.isEmpty()) {
                // a body the pipeline could not read an event id from: its status item names the message
                item = byMessage.get(message.messageId());
            }
            status.put(message.messageId(), describe(item));
        }
        harness.returnToTheDlq(all);
        return status;
    }

    private static Map<String, Map<String, AttributeValue>> statusItemsByMessage(IntegrationHarness harness) {
        String prefix = harness.integration + "#status#";
        Map<String, Map<String, AttributeValue>> byMessage = new HashMap<>();
        harness.aws
                .dynamo()
                .scanPaginator(b -> b.tableName(harness.table))
                .items()
                .forEach(item -> {
                    if (item.get("pk").s().startsWith(prefix) && item.containsKey("messageId")) {
                        byMessage.put(item.get("messageId").s(), item);
                    }
                });
        return byMessage;
    }

    private static String describe(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty() || !item.containsKey("errorClass")) {
            return null;
        }
        return item.get("errorClass").s()
                + (item.containsKey("reason") ? ": " + item.get("reason").s() : "");
    }
}
