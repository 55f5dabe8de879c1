package dev.crmsync.testkit;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The real local servers a test run needs — DynamoDB Local, ElasticMQ and a Secrets Manager
 * endpoint — started once per test JVM (ElasticMQ alone takes seconds) and stopped by a
 * shutdown hook. Every test creates its own table and queues with unique names, so test
 * classes share the servers without sharing state.
 */
public final class LocalAws {
    public static final Region REGION = Region.US_EAST_1;
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private static LocalAws instance;

    private final DynamoDBProxyServer dynamoServer;
    private final SQSRestServer sqsServer;
    private final LocalSecretsManager secrets;
    private final URI dynamoEndpoint;
    private final URI sqsEndpoint;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;

    private LocalAws() throws Exception {
        int dynamoPort = freePort();
        dynamoServer = ServerRunner.createServerFromCommandLineArgs(
                new String[] {"-inMemory", "-port", Integer.toString(dynamoPort), "-disableTelemetry"});
        dynamoServer.start();
        dynamoEndpoint = URI.create("http://127.0.0.1:" + dynamoPort);

        int sqsPort = freePort();
        sqsServer = SQSRestServerBuilder.withPort(sqsPort).withInterface("127.0.0.1").start();
        sqsServer.waitUntilStarted();
        sqsEndpoint = URI.create("http://127.0.0.1:" + sqsPort);

        secrets = LocalSecretsManager.start();

        dynamo = DynamoDbClient.builder()
                .endpointOverride(dynamoEndpoint)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        sqs = SqsClient.builder()
                .endpointOverride(sqsEndpoint)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    /** The servers of this test JVM, started on first use. */
    public static synchronized LocalAws get() {
        if (instance == null) {
            try {
                instance = new LocalAws();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the local AWS servers", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "local-aws-stop"));
        }
        return instance;
    }

    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public LocalSecretsManager secrets() {
        return secrets;
    }

    /** A client for test set-up and assertions; the code under test builds its own. */
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    public SqsClient sqs() {
        return sqs;
    }

    /** Creates the state table the way the stack defines it: one string partition key {@code pk}. */
    public String createStateTable(String name) {
        dynamo.createTable(b -> b.tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder()
                        .attributeName("pk").attributeType(ScalarAttributeType.S).build()));
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(name));
        return name;
    }

    /** Creates an integration queue and its DLQ, wired with a RedrivePolicy as the stack wires them. */
    public QueuePair createQueuePair(String name, int maxReceiveCount, int visibilityTimeoutSeconds) {
        String dlqUrl = sqs.createQueue(b -> b.queueName(name + "-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrivePolicy = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount + "\"}";
        String queueUrl = sqs.createQueue(b -> b.queueName(name).attributes(Map.of(
                        QueueAttributeName.REDRIVE_POLICY, redrivePolicy,
                        QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds))))
                .queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new QueuePair(queueUrl, queueArn, dlqUrl, dlqArn);
    }

    private void stop() {
        try {
            sqsServer.stopAndWait();
        } catch (RuntimeException ignored) {
            // the JVM is exiting; nothing to recover
        }
        try {
            dynamoServer.stop();
        } catch (Exception ignored) {
            // the JVM is exiting; nothing to recover
        }
        secrets.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An integration queue and its dead-letter queue. */
    public record QueuePair(String queueUrl, String queueArn, String dlqUrl, String dlqArn) {}
}
