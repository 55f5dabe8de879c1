package dev.crmsync.testkit;

import java.net.URI;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where a test's AWS services run: the embedded local servers ({@link LocalAws}) or LocalStack in
 * a container. Tests create their own table, queues and secret through it, so the same test runs
 * on either.
 */
public interface AwsEnvironment {
    URI dynamoEndpoint();

    URI sqsEndpoint();

    URI secretsEndpoint();

    /**
     * Whether the DynamoDB server returns the item with a ConditionalCheckFailedException when asked
     * ({@code ReturnValuesOnConditionCheckFailure=ALL_OLD}): DynamoDB and LocalStack do, dynalite does
     * not, and the state store then reads the item once — cost tests assert the figure for their server.
     */
    boolean returnsItemOnConditionCheckFailure();

    /** A client for set-up and assertions; the code under test builds its own. */
    DynamoDbClient dynamo();

    SqsClient sqs();

    /** Creates the state table the way the stack defines it: one string partition key {@code pk}. */
    default String createStateTable(String name) {
        return AwsResources.createStateTable(dynamo(), name);
    }

    /** Creates an integration queue and its DLQ, wired with a RedrivePolicy as the stack wires them. */
    default QueuePair createQueuePair(String name, int maxReceiveCount, int visibilityTimeoutSeconds) {
        return AwsResources.createQueuePair(sqs(), name, maxReceiveCount, visibilityTimeoutSeconds);
    }

    /** Stores (or rotates) a secret's value. */
    void putSecret(String secretId, String secretString);

    /** An integration queue and its dead-letter queue. */
    record QueuePair(String queueUrl, String queueArn, String dlqUrl, String dlqArn) {}
}
