package dev.crmsync.synccore.state;

import static dev.crmsync.synccore.state.StateAttributes.EXTERNAL_ID;
import static dev.crmsync.synccore.state.StateAttributes.PK;
import static dev.crmsync.synccore.state.StateTable.key;
import static dev.crmsync.synccore.state.StateTable.text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Reads of records' mappings (their vendor ids) for a batch: the dependencies its events declare. */
final class MappingReads {
    private final StateTable table;

    MappingReads(StateTable table) {
        this.table = table;
    }

    /**
     * The vendor ids of several records in one strongly consistent BatchGetItem (the deal's
     * account → its Stripe customer). Keys not found are absent from the result. Keys DynamoDB
     * leaves unprocessed are asked again with a growing pause, until the call deadline; if some
     * are still unread then, the read fails rather than report them absent.
     */
    Map<String, String> externalIds(List<String> pks) {
        Map<String, String> found = new LinkedHashMap<>();
        List<String> unique = pks.stream().distinct().toList();
        for (int from = 0; from < unique.size(); from += 100) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String pk : unique.subList(from, Math.min(unique.size(), from + 100))) {
                keys.add(key(pk));
            }
            Map<String, KeysAndAttributes> request = Map.of(
                    table.name(),
                    KeysAndAttributes.builder()
                            .keys(keys)
                            .consistentRead(true)
                            .projectionExpression("#pk, #ext")
                            .expressionAttributeNames(Map.of("#pk", PK, "#ext", EXTERNAL_ID))
                            .build());
            Duration pause = Duration.ofMillis(25);
            while (true) {
                Map<String, KeysAndAttributes> pending = request;
                var response =
                        table.dynamo().batchGetItem(b -> b.requestItems(pending).overrideConfiguration(table::timeout));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table.name(), List.of())) {
                    text(item, EXTERNAL_ID)
                            .ifPresent(ext -> found.put(item.get(PK).s(), ext));
                }
                if (!response.hasUnprocessedKeys() || response.unprocessedKeys().isEmpty()) {
                    break;
                }
                if (table.callsEndBy().isPresent()
                        && table.clock()
                                .instant()
                                .plus(pause)
                                .plus(StateTable.SHORTEST_CALL)
                                .isAfter(table.callsEndBy().get())) {
                    throw new IllegalStateException(
                            "DynamoDB left keys unprocessed until the call deadline (throttled)");
                }
                sleep(pause);
                pause = pause.multipliedBy(2);
                request = response.unprocessedKeys();
            }
        }
        return found;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading mappings", e);
        }
    }
}
