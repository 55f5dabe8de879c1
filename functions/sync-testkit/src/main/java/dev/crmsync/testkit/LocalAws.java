package dev.crmsync.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The real local servers a test run needs — dynalite (DynamoDB), ElasticMQ (SQS) and a Secrets Manager
 * endpoint — started once per test JVM (ElasticMQ alone takes seconds) and stopped by a
 * shutdown hook. Every test creates its own table and queues with unique names, so test
 * classes share the servers without sharing state.
 */
public final class LocalAws implements AwsEnvironment {
    public static final Region REGION = Region.US_EAST_1;
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private static LocalAws instance;

    private final Dynalite dynamoServer;
    private final SQSRestServer sqsServer;
    private final LocalSecretsManager secrets;
    private final URI dynamoEndpoint;
    private final URI sqsEndpoint;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;

    private LocalAws() throws Exception {
        dynamoServer = Dynalite.start();
        dynamoEndpoint = dynamoServer.endpoint();

        int sqsPort = freePort();
        sqsServer = SQSRestServerBuilder.withPort(sqsPort)
                .withInterface("127.0.0.1")
                .start();
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

    @Override
    public boolean returnsItemOnConditionCheckFailure() {
        return false; // dynalite accepts the parameter but returns no item
    }

    @Override
    public URI dynamoEndpoint() {
        return dynamoEndpoint;
    }

    @Override
    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    public LocalSecretsManager secrets() {
        return secrets;
    }

    /** A client for test set-up and assertions; the code under test builds its own. */
    @Override
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    @Override
    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public URI secretsEndpoint() {
        return secrets.endpoint();
    }

    @Override
    public void putSecret(String secretId, String secretString) {
        secrets.putSecret(secretId, secretString);
    }

    private void stop() {
        try {
            sqsServer.stopAndWait();
        } catch (RuntimeException ignored) {
            // the JVM is exiting; nothing to recover
        }
        dynamoServer.close();
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
}
