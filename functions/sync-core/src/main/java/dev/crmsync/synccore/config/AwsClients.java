package dev.crmsync.synccore.config;

import java.util.List;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS clients a sync function uses, built once per container. Built with no endpoint
 * override, each SDK client reads {@code AWS_ENDPOINT_URL_<SERVICE>} from the environment by
 * itself, which is how the local run reaches local servers; tests pass clients they built.
 *
 * @param events publishes the outcome events; null where none are published (no
 *               {@code CRM_SYNC_EVENT_BUS}), which the pipeline checks when it is built
 */
public record AwsClients(DynamoDbClient dynamo, SqsClient sqs, SecretsManagerClient secrets, EventBridgeClient events) {

    /** Clients for a deployment that publishes no outcome events (tests and local runs without a bus). */
    public AwsClients(DynamoDbClient dynamo, SqsClient sqs, SecretsManagerClient secrets) {
        this(dynamo, sqs, secrets, null);
    }

    /** The function's clients, as the deployed function builds them. */
    public static AwsClients fromEnvironment() {
        return fromEnvironment(List.of());
    }

    /**
     * The function's clients with {@code interceptors} added to each, after the SDK's own: how the
     * benchmark counts the requests a function sends. The deployed function adds none.
     */
    public static AwsClients fromEnvironment(List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration overrides = ClientOverrideConfiguration.builder()
                .executionInterceptors(List.copyOf(interceptors))
                .build();
        return new AwsClients(
                DynamoDbClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(overrides)
                        .build(),
                SqsClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(overrides)
                        .build(),
                SecretsManagerClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(overrides)
                        .build(),
                EventBridgeClient.builder()
                        .httpClientBuilder(UrlConnectionHttpClient.builder())
                        .overrideConfiguration(overrides)
                        .build());
    }
}
