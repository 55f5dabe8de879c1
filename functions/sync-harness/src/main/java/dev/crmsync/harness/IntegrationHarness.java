package dev.crmsync.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.pipeline.SyncPipeline;
import dev.crmsync.synccore.state.StateKey;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalAws;
import dev.crmsync.testkit.LocalEventBridge;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One integration deployed on local servers, fresh per test: its own state table, queue + DLQ
 * (RedrivePolicy), secret, and SDK clients whose requests are counted — wired to its vendor's
 * sandbox exactly as the stack wires the real function. Each integration's tests extend it with
 * their connector and their vendor's helpers.
 */
public class IntegrationHarness {
    public static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(20);

    public final AwsEnvironment aws;
    public final String integration;
    public final String table;
    public final String secretId;
    public final AwsEnvironment.QueuePair queues;
    public final int maxReceiveCount;
    public final List<String> dynamoOperations = Collections.synchronizedList(new ArrayList<>());
    public final List<String> sqsOperations = Collections.synchronizedList(new ArrayList<>());
    public final List<Integer> visibilityTimeouts = Collections.synchronizedList(new ArrayList<>());
    /**
     * Further environment for the function, e.g. CRM_SYNC_EVENT_BUS (its outcome events go to the local EventBridge
     * endpoint).
     */
    public final Map<String, String> environment = new HashMap<>();

    private final String vendorUrl;
    private final Function<ConnectorSettings, Connector> connector;

    /**
     * @param secretJson the integration's secret value, as on-call puts it (e.g. {@code {"apiKey":"…"}})
     * @param vendorUrl  the vendor sandbox's base URL
     */
    public IntegrationHarness(
            AwsEnvironment aws,
            String integration,
            Function<ConnectorSettings, Connector> connector,
            String vendorUrl,
            String secretJson,
            int maxReceiveCount,
            int queueVisibilitySeconds) {
        this(
                aws,
                integration,
                connector,
                vendorUrl,
                secretJson,
                UUID.randomUUID().toString().substring(0, 8),
                maxReceiveCount,
                queueVisibilitySeconds);
    }

    /** Fresh resources whose names end with {@code id}: a table of its own, a queue pair and a secret. */
    private IntegrationHarness(
            AwsEnvironment aws,
            String integration,
            Function<ConnectorSettings, Connector> connector,
            String vendorUrl,
            String secretJson,
            String id,
            int maxReceiveCount,
            int queueVisibilitySeconds) {
        this(
                aws,
                integration,
                connector,
                vendorUrl,
                secretJson,
                new Resources(
                        aws.createStateTable("crm-sync-state-" + id),
                        integration + "-" + id,
                        "crm-sync/test/" + integration + "-" + id),
                maxReceiveCount,
                queueVisibilitySeconds);
    }

    /**
     * Deployed with resources of these names, as a stack names them: the table exists (integrations share it), the
     * queue pair and the secret are created.
     */
    public IntegrationHarness(
            AwsEnvironment aws,
            String integration,
            Function<ConnectorSettings, Connector> connector,
            String vendorUrl,
            String secretJson,
            Resources resources,
            int maxReceiveCount,
            int queueVisibilitySeconds) {
        this.aws = aws;
        this.integration = integration;
        this.connector = connector;
        this.vendorUrl = vendorUrl;
        this.table = resources.table();
        this.maxReceiveCount = maxReceiveCount;
        this.queues = aws.createQueuePair(resources.queue(), maxReceiveCount, queueVisibilitySeconds);
        this.secretId = resources.secretId();
        aws.putSecret(secretId, secretJson);
    }

    /**
     * The names of one integration's resources.
     *
     * @param table    the state table, created already
     * @param queue    the integration queue's name; its DLQ's is the same with {@code -dlq}
     * @param secretId the secret's name
     */
    public record Resources(String table, String queue, String secretId) {}

    /**
     * Deployed against {@code vendor}, which is made to accept {@code apiKey}; the integration's secret
     * holds the key as {@code {"apiKey":"…"}} (the shape of Stripe's, Mailchimp's and the example vendor's).
     */
    public IntegrationHarness(
            AwsEnvironment aws,
            String integration,
            Function<ConnectorSettings, Connector> connector,
            VendorSandbox<?> vendor,
            String apiKey,
            int maxReceiveCount,
            int queueVisibilitySeconds) {
        this(
                aws,
                integration,
                connector,
                vendor.baseUrl(),
                "{\"apiKey\":\"" + apiKey + "\"}",
                maxReceiveCount,
                queueVisibilitySeconds);
        vendor.acceptApiKeys(apiKey);
    }

    /** The function's configuration as the stack sets it, with short backoffs for tests. */
    public SyncConfig config() {
        Map<String, String> env = new HashMap<>();
        env.put("CRM_SYNC_INTEGRATION", integration);
        env.put("CRM_SYNC_TABLE", table);
        env.put("CRM_SYNC_QUEUE_URL", queues.queueUrl());
        env.put("CRM_SYNC_SECRET_ID", secretId);
        env.put("CRM_SYNC_VENDOR_URL", vendorUrl);
        env.put("CRM_SYNC_BACKOFF_BASE_SECONDS", "1");
        env.put("CRM_SYNC_BACKOFF_CAP_SECONDS", "4");
        env.put("CRM_SYNC_BUSY_BACKOFF_CAP_SECONDS", "1");
        env.put("CRM_SYNC_DEADLINE_MARGIN_MILLIS", "500");
        env.put("CRM_SYNC_VENDOR_TIMEOUT_MILLIS", "2000");
        // as the stack sets it: the queue's RedrivePolicy, so the pipeline knows a message's last receive
        env.put("CRM_SYNC_MAX_RECEIVE_COUNT", Integer.toString(maxReceiveCount));
        env.putAll(environment);
        return SyncConfig.from(env);
    }

    /** The pipeline as the function builds it, with the backoff pinned to its upper bound. */
    public SyncPipeline pipeline() {
        return pipeline(Clock.systemUTC());
    }

    public SyncPipeline pipeline(Clock clock, ExecutionInterceptor... extraInterceptors) {
        return pipeline(config(), clock, extraInterceptors);
    }

    public SyncPipeline pipeline(SyncConfig config, Clock clock, ExecutionInterceptor... extraInterceptors) {
        return SyncPipeline.create(config, clients(extraInterceptors), clock, () -> 0.999_999, connector);
    }

    /** SDK clients for the function under test, whose requests are counted (and passed to the extra interceptors). */
    public AwsClients clients(ExecutionInterceptor... extraInterceptors) {
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(aws.dynamoEndpoint())
                .region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(
                        c -> intercept(c, request -> dynamoOperations.add(operation(request)), extraInterceptors))
                .build();
        SqsClient sqs = SqsClient.builder()
                .endpointOverride(aws.sqsEndpoint())
                .region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> intercept(
                        c,
                        request -> {
                            sqsOperations.add(operation(request));
                            if (request instanceof ChangeMessageVisibilityBatchRequest batch) {
                                batch.entries().forEach(e -> visibilityTimeouts.add(e.visibilityTimeout()));
                            }
                        },
                        extraInterceptors))
                .build();
        SecretsManagerClient secrets = SecretsManagerClient.builder()
                .endpointOverride(aws.secretsEndpoint())
                .region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        if (!environment.containsKey("CRM_SYNC_EVENT_BUS")) {
            return new AwsClients(dynamo, sqs, secrets);
        }
        EventBridgeClient events = EventBridgeClient.builder()
                .endpointOverride(LocalEventBridge.shared().endpoint())
                .region(LocalAws.REGION)
                .credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        return new AwsClients(dynamo, sqs, secrets, events);
    }

    /** Records every request the client sends (what the cost assertions count), then the extra interceptors. */
    private static void intercept(
            ClientOverrideConfiguration.Builder config,
            Consumer<SdkRequest> recorder,
            ExecutionInterceptor... extraInterceptors) {
        config.addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                recorder.accept(context.request());
            }
        });
        for (ExecutionInterceptor interceptor : extraInterceptors) {
            config.addExecutionInterceptor(interceptor);
        }
    }

    private static String operation(SdkRequest request) {
        return request.getClass().getSimpleName().replace("Request", "");
    }

    public LocalEventSourceMapping eventSourceMapping(SyncPipeline pipeline) {
        return eventSourceMapping(pipeline, FUNCTION_TIMEOUT);
    }

    public LocalEventSourceMapping eventSourceMapping(SyncPipeline pipeline, Duration functionTimeout) {
        return new LocalEventSourceMapping(
                aws.sqs(), queues.queueUrl(), queues.queueArn(), pipeline::process, functionTimeout);
    }

    public void send(String body) {
        aws.sqs().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body));
    }

    public List<Message> dlqMessages() {
        return aws.sqs()
                .receiveMessage(b -> b.queueUrl(queues.dlqUrl())
                        .maxNumberOfMessages(10)
                        .visibilityTimeout(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
                .messages();
    }

    /**
     * Every message in the DLQ, received until three receives in a row find none, each hidden for
     * {@code hiddenFor} so that none is received twice; {@link #returnToTheDlq} shows them again.
     */
    public List<Message> receiveAllOfTheDlq(Duration hiddenFor) {
        List<Message> all = new ArrayList<>();
        for (int empty = 0; empty < 3; ) {
            List<Message> batch = aws.sqs()
                    .receiveMessage(b -> b.queueUrl(queues.dlqUrl())
                            .maxNumberOfMessages(10)
                            .visibilityTimeout((int) hiddenFor.toSeconds())
                            .waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                empty++;
            } else {
                all.addAll(batch);
            }
        }
        return all;
    }

    /**
     * Makes {@code messages}, received from the DLQ to be read, visible there again at once, so that the DLQ
     * still holds them for whoever looks next (a redrive, the next reading).
     */
    public void returnToTheDlq(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (Message m : messages.subList(from, Math.min(messages.size(), from + 10))) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id("v" + entries.size())
                        .receiptHandle(m.receiptHandle())
                        .visibilityTimeout(0)
                        .build());
            }
            aws.sqs()
                    .changeMessageVisibilityBatch(
                            b -> b.queueUrl(queues.dlqUrl()).entries(entries));
        }
    }

    /**
     * What on-call does once the cause is fixed, "Start DLQ redrive" → "Redrive to source queue(s)":
     * the DLQ's messages moved back to the integration queue, waited for until the DLQ is empty (at most 10 s).
     */
    public void redriveTheDlq() throws InterruptedException {
        aws.sqs().startMessageMoveTask(b -> b.sourceArn(queues.dlqArn()));
        Instant until = Instant.now().plusSeconds(10);
        while (!dlqMessages().isEmpty() && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
    }

    /** Messages in the integration queue, visible or in flight. */
    public int queuedMessages() {
        Map<String, String> attributes = aws.sqs()
                .getQueueAttributes(b -> b.queueUrl(queues.queueUrl())
                        .attributeNamesWithStrings(
                                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"))
                .attributesAsStrings();
        return Integer.parseInt(attributes.getOrDefault("ApproximateNumberOfMessages", "0"))
                + Integer.parseInt(attributes.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
    }

    public Map<String, AttributeValue> item(String pk) {
        return aws.dynamo()
                .getItem(b -> b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(pk)))
                        .consistentRead(true))
                .item();
    }

    /** The record item (the mapping) of a CRM record. */
    public Map<String, AttributeValue> recordItem(String object, String recordId) {
        return item(StateKey.record(integration, object, recordId));
    }

    /** The action item of a business key. */
    public Map<String, AttributeValue> actionItem(String action, String businessKey) {
        return item(StateKey.action(integration, action, businessKey));
    }

    public Map<String, AttributeValue> statusItem(String eventId) {
        return item(StateKey.status(integration, eventId));
    }

    /** The writes the function's DynamoDB client sent, of every kind. */
    public long writes() {
        return count("UpdateItem") + count("PutItem") + count("BatchWriteItem") + count("TransactWriteItems");
    }

    /** The reads the function's DynamoDB client sent, of every kind. */
    public long reads() {
        return count("GetItem") + count("BatchGetItem") + count("Query");
    }

    /** Reads per refused claim: none where the server returns the old image, one where it does not (dynalite). */
    public long readsPerRefusedClaim() {
        return aws.returnsItemOnConditionCheckFailure() ? 0 : 1;
    }

    /**
     * What an applied record costs since the operations were cleared: two conditional writes (claim, commit), no other.
     */
    public void assertTwoConditionalWritesOnly() {
        assertThat(count("UpdateItem")).isEqualTo(2);
        assertThat(writes()).isEqualTo(2);
    }

    /**
     * What a duplicate costs since the operations were cleared: one refused claim write, and a read
     * only where the server returns no old image with the refusal.
     */
    public void assertOneRefusedClaimOnly() {
        if (aws.returnsItemOnConditionCheckFailure()) {
            assertThat(dynamoOperations).containsExactly("UpdateItem");
        } else {
            assertThat(dynamoOperations).containsExactly("UpdateItem", "GetItem");
        }
    }

    /** How many requests of {@code operation} (e.g. UpdateItem) the function's DynamoDB client sent. */
    public long count(String operation) {
        synchronized (dynamoOperations) {
            return dynamoOperations.stream().filter(operation::equals).count();
        }
    }
}
