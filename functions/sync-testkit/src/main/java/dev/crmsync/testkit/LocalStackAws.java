package dev.crmsync.testkit;

import java.net.URI;
import java.util.Optional;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * LocalStack in a container (Testcontainers), for machines with a Docker engine. The image is
 * pinned to 4.14.0, the last that starts without an auth token; {@code LOCALSTACK_AUTH_TOKEN} is
 * passed through when set, and {@code CRM_SYNC_LOCALSTACK_IMAGE} picks another image.
 */
public final class LocalStackAws implements AwsEnvironment, AutoCloseable {
    public static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";

    private final LocalStackContainer container;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final SecretsManagerClient secrets;

    private LocalStackAws(LocalStackContainer container) {
        this.container = container;
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey()));
        Region region = Region.of(container.getRegion());
        this.dynamo = DynamoDbClient.builder()
                .endpointOverride(container.getEndpoint())
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        this.sqs = SqsClient.builder()
                .endpointOverride(container.getEndpoint())
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
        this.secrets = SecretsManagerClient.builder()
                .endpointOverride(container.getEndpoint())
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public static LocalStackAws start() {
        String image =
                Optional.ofNullable(System.getenv("CRM_SYNC_LOCALSTACK_IMAGE")).orElse(DEFAULT_IMAGE);
        LocalStackContainer container = new LocalStackContainer(
                        DockerImageName.parse(image).asCompatibleSubstituteFor("localstack/localstack"))
                .withServices(
                        LocalStackContainer.Service.DYNAMODB,
                        LocalStackContainer.Service.SQS,
                        LocalStackContainer.Service.SECRETSMANAGER);
        Optional.ofNullable(System.getenv("LOCALSTACK_AUTH_TOKEN"))
                .ifPresent(token -> container.withEnv("LOCALSTACK_AUTH_TOKEN", token));
        container.start();
        return new LocalStackAws(container);
    }

    @Override
    public boolean returnsItemOnConditionCheckFailure() {
        return true; // as DynamoDB does
    }

    @Override
    public URI dynamoEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public URI sqsEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public URI secretsEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    @Override
    public SqsClient sqs() {
        return sqs;
    }

    @Override
    public void putSecret(String secretId, String secretString) {
        try {
            secrets.putSecretValue(b -> b.secretId(secretId).secretString(secretString));
        } catch (ResourceNotFoundException e) {
            secrets.createSecret(b -> b.name(secretId).secretString(secretString));
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
