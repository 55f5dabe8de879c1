package dev.crmsync.synccore.config;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The AWS clients a sync function uses, built once per container. Built with no endpoint
 * override, each SDK client reads {@code AWS_ENDPOINT_URL_<SERVICE>} from the environment by
 * itself, which is how the local run reaches local servers; tests pass clients they built.
 */
public record AwsClients(DynamoDbClient dynamo, SqsClient sqs, SecretsManagerClient secrets) {
    public static AwsClients fromEnvironment() {
        return new AwsClients(
                DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build(),
                SecretsManagerClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build());
    }
}
