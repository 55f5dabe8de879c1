package dev.crmsync.localrun;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.testkit.LocalEventBridge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The summary of a run, built once as JSON (what {@code --json} writes) and printed from it: per integration what
 * was routed to it and where each message ended — applied with its vendor id, skipped and why, failed attempts by
 * error class, in the DLQ with its status — what the vendor holds, the table's items, and every event that did not
 * end where the routing table and the valid/invalid split say it must.
 */
final class RunSummary {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunSummary() {}

    static ObjectNode build(
            List<DeployedIntegration> deployed,
            List<InputEvent> events,
            Map<InputEvent, List<String>> routes,
            List<SentMessage> sent,
            List<LocalEventBridge.Entry> outcomeEvents,
            DynamoDbClient dynamo,
            String table) {
        ObjectNode summary = JSON.createObjectNode();
        List<String> mismatches = new ArrayList<>();
        Map<InputEvent, Map<String, Ending>> endings = new HashMap<>();
        ArrayNode integrations = summary.putArray("integrations");
        for (DeployedIntegration integration : deployed) {
            String name = integration.entry.name();
            List<SentMessage> mine =
                    sent.stream().filter(s -> s.integration().equals(name)).toList();
            Map<String, String> eventIds = new HashMap<>();
            mine.forEach(s -> eventIds.put(s.messageId(), s.eventId()));
            Map<String, String> deadLetters = DeadLetters.read(integration.harness, eventIds);
            Outcomes outcomes = new Outcomes(outcomeEvents, name);
            ObjectNode node = integrations
                    .addObject()
                    .put("name", name)
                    .put("vendor", integration.entry.vendor())
                    .put("routed", mine.size());
            ArrayNode applied = JSON.createArrayNode();
            ArrayNode skipped = JSON.createArrayNode();
            ArrayNode dead = JSON.createArrayNode();
            ArrayNode waiting = JSON.createArrayNode();
            Map<String, Long> skipReasons = new TreeMap<>();
            for (SentMessage message : mine) {
                Ending ending = deadLetters.containsKey(message.messageId())
                        ? new Ending(Ending.Kind.DEAD_LETTER, deadLetters.get(message.messageId()))
                        : outcomes.claim(message.eventId());
                if (ending == null) {
                    ending = new Ending(Ending.Kind.WAITING, "");
                }
                endings.computeIfAbsent(message.event(), e -> new HashMap<>()).put(name, ending);
                String label = message.event().label();
                switch (ending.kind()) {
                    case APPLIED -> applied.addObject().put("event", label).put("externalId", ending.detail());
                    case SKIPPED -> {
                        skipped.addObject().put("event", label).put("reason", ending.detail());
                        skipReasons.merge(ending.detail(), 1L, Long::sum);
                    }
                    case DEAD_LETTER -> dead.addObject().put("event", label).put("status", ending.detail());
                    case WAITING -> waiting.add(label);
                }
            }
            node.set("applied", applied);
            node.set("skipped", skipped);
            node.set("skippedByReason", JSON.valueToTree(skipReasons));
            node.put("failedAttempts", outcomes.failed());
            node.set("failedAttemptsByErrorClass", JSON.valueToTree(outcomes.failedByErrorClass()));
            node.set("deadLetters", dead);
            node.set("waiting", waiting);
            node.set("vendorHolds", JSON.valueToTree(VendorHoldings.of(integration.local.sandbox())));
        }
        ArrayNode items = summary.putArray("table");
        for (Map<String, AttributeValue> item : dynamo.scan(b -> b.tableName(table)).items().stream()
                .sorted((a, b) -> a.get("pk").s().compareTo(b.get("pk").s()))
                .toList()) {
            items.add(describe(item));
        }
        for (InputEvent event : events) {
            event.expected().ifPresent(expected -> check(event, expected, routes.get(event), endings, mismatches));
        }
        summary.put("events", events.size());
        summary.put("notRouted", routes.values().stream().filter(List::isEmpty).count());
        summary.set("mismatches", JSON.valueToTree(mismatches));
        summary.put("ok", mismatches.isEmpty());
        return summary;
    }

    private static void check(
            InputEvent event,
            InputEvent.Expectation expected,
            List<String> routed,
            Map<InputEvent, Map<String, Ending>> endings,
            List<String> mismatches) {
        Set<String> routedSet = new TreeSet<>(routed);
        if (!routedSet.equals(new TreeSet<>(expected.integrations()))) {
            mismatches.add(event.label() + ": routed to " + routedSet + ", expected "
                    + new TreeSet<>(expected.integrations()));
        }
        for (String integration : routedSet) {
            Ending ending = endings.getOrDefault(event, Map.of()).get(integration);
            Ending.Kind kind = ending == null ? Ending.Kind.WAITING : ending.kind();
            boolean right = expected.valid()
                    ? kind == Ending.Kind.APPLIED || kind == Ending.Kind.SKIPPED
                    : kind == Ending.Kind.DEAD_LETTER && ending.detail() != null;
            if (!right) {
                mismatches.add(event.label() + " → " + integration + ": " + describe(kind, ending) + ", expected "
                        + (expected.valid() ? "applied or skipped" : "the DLQ with a status item"));
            }
        }
    }

    private static String describe(Ending.Kind kind, Ending ending) {
        return switch (kind) {
            case DEAD_LETTER -> ending.detail() == null ? "in the DLQ without a status item" : "in the DLQ";
            case WAITING -> "still in the queue";
            default -> kind.name().toLowerCase() + (ending.detail().isEmpty() ? "" : " (" + ending.detail() + ")");
        };
    }

    private static String describe(Map<String, AttributeValue> item) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field :
                List.of("externalId", "appliedVersion", "actionStatus", "outcome", "errorClass", "reason")) {
            AttributeValue value = item.get(field);
            if (value != null) {
                fields.put(field, value.s() != null ? value.s() : value.n());
            }
        }
        StringBuilder line = new StringBuilder(item.get("pk").s());
        fields.forEach(
                (field, value) -> line.append(' ').append(field).append('=').append(value));
        return line.toString();
    }
}
