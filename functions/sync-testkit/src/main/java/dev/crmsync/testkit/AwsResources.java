package dev.crmsync.testkit;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The table and queues a test deploys, created with the real APIs on whichever environment runs them. */
final class AwsResources {
    private AwsResources() {}

    static String createStateTable(DynamoDbClient dynamo, String name) {
        dynamo.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder()
                        .attributeName("pk")
                        .keyType(KeyType.HASH)
                        .build())
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("pk")
                        .attributeType(ScalarAttributeType.S)
                        .build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
        return name;
    }

    static AwsEnvironment.QueuePair createQueuePair(
            SqsClient sqs, String name, int maxReceiveCount, int visibilityTimeoutSeconds) {
        String dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String dlqArn = arn(sqs, dlqUrl);
        String redrivePolicy =
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
        String queueUrl = sqs.createQueue(b -> b.queueName(name)
                        .attributes(Map.of(
                                QueueAttributeName.REDRIVE_POLICY,
                                redrivePolicy,
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                Integer.toString(visibilityTimeoutSeconds))))
                .queueUrl();
        return new AwsEnvironment.QueuePair(queueUrl, arn(sqs, queueUrl), dlqUrl, dlqArn);
    }

    private static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }
}
