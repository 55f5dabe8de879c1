package dev.crmsync.synccore.state;

import static dev.crmsync.synccore.state.StateAttributes.FAILED_EVENTS;
import static dev.crmsync.synccore.state.StateAttributes.PK;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The state table as every part of the store uses it: the client, the table's name, the clock, and
 * the API call timeout that makes every request (SDK retries included) end by the invocation's
 * deadline for its calls.
 */
record StateTable(DynamoDbClient dynamo, String name, Clock clock, Optional<Instant> callsEndBy) {
    static final Duration SHORTEST_CALL = Duration.ofMillis(50);

    StateTable endingBy(Instant instant) {
        return new StateTable(dynamo, name, clock, Optional.of(instant));
    }

    /** The API call timeout of every request: what is left until the calls' end, never below a usable minimum. */
    void timeout(AwsRequestOverrideConfiguration.Builder config) {
        callsEndBy.ifPresent(end -> {
            Duration left = Duration.between(clock.instant(), end);
            config.apiCallTimeout(left.compareTo(SHORTEST_CALL) < 0 ? SHORTEST_CALL : left);
        });
    }

    /** The item as the write left it; empty when the condition did not hold. */
    Optional<Map<String, AttributeValue>> conditionalUpdate(
            String pk, String update, String condition, Map<String, String> names, Map<String, AttributeValue> values) {
        try {
            return Optional.of(dynamo.updateItem(b -> b.tableName(name)
                            .key(key(pk))
                            .updateExpression(update)
                            .conditionExpression(condition)
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .returnValues(ReturnValue.ALL_NEW)
                            .overrideConfiguration(this::timeout))
                    .attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of(PK, s(pk));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static Map<String, AttributeValue> toAttributeMap(Map<String, String> values) {
        Map<String, AttributeValue> m = new HashMap<>();
        values.forEach((k, v) -> m.put(k, s(v)));
        return m;
    }

    static Optional<String> text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    static Optional<Long> number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? Optional.empty() : Optional.of(Long.parseLong(v.n()));
    }

    static Set<String> failedEvents(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(FAILED_EVENTS);
        return v == null || !v.hasSs() ? Set.of() : Set.copyOf(new LinkedHashSet<>(v.ss()));
    }
}
