package dev.crmsync.benchmark;

import dev.crmsync.testkit.AwsEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor the pipeline's per-record overhead cannot beat on these servers: the two conditional
 * writes every applied record costs (the claim that takes the record's lease, the commit that
 * releases it), sent alone, one after the other, to the same table.
 */
final class WriteFloor {
    private WriteFloor() {}

    /** {@code samples} claim + commit pairs against {@code table}; each sample is one pair's time in nanoseconds. */
    static List<Long> measure(AwsEnvironment aws, String table, int samples) {
        List<Long> nanos = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            String pk = "bench#floor#" + i + "#" + System.nanoTime();
            long start = System.nanoTime();
            aws.dynamo()
                    .updateItem(b -> b.tableName(table)
                            .key(Map.of("pk", AttributeValue.fromS(pk)))
                            .updateExpression("SET #until = :until, #owner = :owner")
                            .conditionExpression("attribute_not_exists(#done) AND "
                                    + "(attribute_not_exists(#until) OR #until < :now)")
                            .expressionAttributeNames(
                                    Map.of("#until", "leaseUntil", "#owner", "owner", "#done", "done"))
                            .expressionAttributeValues(Map.of(
                                    ":until", AttributeValue.fromN(Long.toString(System.currentTimeMillis() + 60_000)),
                                    ":owner", AttributeValue.fromS("bench"),
                                    ":now", AttributeValue.fromN(Long.toString(System.currentTimeMillis())))));
            aws.dynamo()
                    .updateItem(b -> b.tableName(table)
                            .key(Map.of("pk", AttributeValue.fromS(pk)))
                            .updateExpression("SET #done = :version REMOVE #until")
                            .conditionExpression("#owner = :owner")
                            .expressionAttributeNames(
                                    Map.of("#until", "leaseUntil", "#owner", "owner", "#done", "done"))
                            .expressionAttributeValues(Map.of(
                                    ":version", AttributeValue.fromN("1"), ":owner", AttributeValue.fromS("bench"))));
            nanos.add(System.nanoTime() - start);
        }
        return nanos;
    }
}
