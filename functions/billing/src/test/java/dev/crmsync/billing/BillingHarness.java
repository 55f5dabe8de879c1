package dev.crmsync.billing;

import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.pipeline.SyncPipeline;
import dev.crmsync.synccore.state.StateKey;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalAws;
import dev.crmsync.testkit.LocalEventBridge;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
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
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * One billing deployment on local servers, fresh per test: its own state table, queue + DLQ
 * (RedrivePolicy), secret, and SDK clients whose requests are counted — wired to a shared Stripe
 * sandbox exactly as the stack wires the real function.
 */
final class BillingHarness {
    static final String API_KEY = "sk_test_51CrmSyncLocalKey0001";
    static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(20);

    final AwsEnvironment aws;
    final StripeSandbox stripe;
    final String table;
    final String secretId;
    final AwsEnvironment.QueuePair queues;
    final int maxReceiveCount;
    final List<String> dynamoOperations = Collections.synchronizedList(new ArrayList<>());
    final List<String> sqsOperations = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> visibilityTimeouts = Collections.synchronizedList(new ArrayList<>());
    /** Further environment for the function, e.g. CRM_SYNC_EVENT_BUS (its outcome events go to the local EventBridge endpoint). */
    final Map<String, String> environment = new HashMap<>();

    BillingHarness(StripeSandbox stripe, int maxReceiveCount, int queueVisibilitySeconds) {
        this(LocalAws.get(), stripe, maxReceiveCount, queueVisibilitySeconds);
    }

    BillingHarness(AwsEnvironment aws, StripeSandbox stripe, int maxReceiveCount, int queueVisibilitySeconds) {
        this.aws = aws;
        this.stripe = stripe;
        String id = UUID.randomUUID().toString().substring(0, 8);
        this.table = aws.createStateTable("crm-sync-state-" + id);
        this.maxReceiveCount = maxReceiveCount;
        this.queues = aws.createQueuePair("billing-" + id, maxReceiveCount, queueVisibilitySeconds);
        this.secretId = "crm-sync/test/billing-" + id;
        aws.putSecret(secretId, "{\"apiKey\":\"" + API_KEY + "\"}");
        stripe.acceptApiKeys(API_KEY);
    }

    SyncConfig config() {
        Map<String, String> env = new HashMap<>();
        env.put("CRM_SYNC_INTEGRATION", "billing");
        env.put("CRM_SYNC_TABLE", table);
        env.put("CRM_SYNC_QUEUE_URL", queues.queueUrl());
        env.put("CRM_SYNC_SECRET_ID", secretId);
        env.put("CRM_SYNC_VENDOR_URL", stripe.baseUrl());
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
    SyncPipeline pipeline() {
        return pipeline(Clock.systemUTC());
    }

    SyncPipeline pipeline(Clock clock, ExecutionInterceptor... extraInterceptors) {
        return SyncPipeline.create(config(), clients(extraInterceptors), clock, () -> 0.999_999, StripeConnector::new);
    }

    AwsClients clients(ExecutionInterceptor... extraInterceptors) {
        DynamoDbClient dynamo = DynamoDbClient.builder()
                .endpointOverride(aws.dynamoEndpoint())
                .region(LocalAws.REGION).credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> intercept(c, request -> dynamoOperations.add(operation(request)), extraInterceptors))
                .build();
        SqsClient sqs = SqsClient.builder()
                .endpointOverride(aws.sqsEndpoint())
                .region(LocalAws.REGION).credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(c -> intercept(c, request -> {
                    sqsOperations.add(operation(request));
                    if (request instanceof ChangeMessageVisibilityBatchRequest batch) {
                        batch.entries().forEach(e -> visibilityTimeouts.add(e.visibilityTimeout()));
                    }
                }, extraInterceptors))
                .build();
        SecretsManagerClient secrets = SecretsManagerClient.builder()
                .endpointOverride(aws.secretsEndpoint())
                .region(LocalAws.REGION).credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        if (!environment.containsKey("CRM_SYNC_EVENT_BUS")) {
            return new AwsClients(dynamo, sqs, secrets);
        }
        EventBridgeClient events = EventBridgeClient.builder()
                .endpointOverride(LocalEventBridge.shared().endpoint())
                .region(LocalAws.REGION).credentialsProvider(LocalAws.CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        return new AwsClients(dynamo, sqs, secrets, events);
    }

    /** Records every request the client sends (what the cost assertions count), then the extra interceptors. */
    private static void intercept(ClientOverrideConfiguration.Builder config, Consumer<SdkRequest> recorder,
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

    LocalEventSourceMapping eventSourceMapping(SyncPipeline pipeline) {
        return eventSourceMapping(pipeline, FUNCTION_TIMEOUT);
    }

    LocalEventSourceMapping eventSourceMapping(SyncPipeline pipeline, Duration functionTimeout) {
        return new LocalEventSourceMapping(aws.sqs(), queues.queueUrl(), queues.queueArn(), pipeline::process, functionTimeout);
    }

    void send(String body) {
        aws.sqs().sendMessage(b -> b.queueUrl(queues.queueUrl()).messageBody(body));
    }

    List<Message> dlqMessages() {
        return aws.sqs().receiveMessage(b -> b.queueUrl(queues.dlqUrl()).maxNumberOfMessages(10)
                .visibilityTimeout(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** Messages in the integration queue, visible or in flight. */
    int queuedMessages() {
        Map<String, String> attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(queues.queueUrl()).attributeNamesWithStrings(
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")).attributesAsStrings();
        return Integer.parseInt(attributes.getOrDefault("ApproximateNumberOfMessages", "0"))
                + Integer.parseInt(attributes.getOrDefault("ApproximateNumberOfMessagesNotVisible", "0"));
    }

    Map<String, AttributeValue> item(String pk) {
        return aws.dynamo().getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true)).item();
    }

    Map<String, AttributeValue> accountItem(String accountId) {
        return item(StateKey.record("billing", "account", accountId));
    }

    Map<String, AttributeValue> invoiceItem(String dealId) {
        return item(StateKey.action("billing", "invoice", dealId));
    }

    Map<String, AttributeValue> statusItem(String eventId) {
        return item(StateKey.status("billing", eventId));
    }

    long count(String operation) {
        synchronized (dynamoOperations) {
            return dynamoOperations.stream().filter(operation::equals).count();
        }
    }
}
