package dev.crmsync.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.util.UUID;

/**
 * Serves Secrets Manager's JSON protocol ({@code X-Amz-Target: secretsmanager.GetSecretValue})
 * on loopback: no embedded Secrets Manager exists, and the SDK client under test must talk to a
 * real HTTP endpoint with the real wire format.
 */
public final class LocalSecretsManager implements AutoCloseable {
    private static final String TARGET = "secretsmanager.GetSecretValue";
    private final WireMockServer server;

    private LocalSecretsManager(WireMockServer server) {
        this.server = server;
    }

    static LocalSecretsManager start() {
        WireMockServer server =
                new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(post(urlEqualTo("/"))
                .atPriority(10)
                .withHeader("X-Amz-Target", equalTo(TARGET))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets "
                                + "Manager can't find the specified secret.\"}")));
        return new LocalSecretsManager(server);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Stores (or rotates) a secret's JSON value; later GetSecretValue calls return it. */
    public void putSecret(String secretId, String secretString) {
        server.stubFor(post(urlEqualTo("/"))
                .atPriority(1)
                .withHeader("X-Amz-Target", equalTo(TARGET))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo(secretId)))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(jsonObject(secretId, secretString))));
    }

    /** How many GetSecretValue requests named this secret. */
    public int readsOf(String secretId) {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo("/"))
                        .withHeader("X-Amz-Target", equalTo(TARGET))
                        .withRequestBody(matchingJsonPath("$.SecretId", equalTo(secretId)))
                        .build())
                .getCount();
    }

    private static String jsonObject(String secretId, String secretString) {
        String escaped = secretString.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:" + secretId + "-AbCdEf\","
                + "\"Name\":\"" + secretId + "\","
                + "\"VersionId\":\"" + UUID.randomUUID() + "\","
                + "\"SecretString\":\"" + escaped + "\","
                + "\"VersionStages\":[\"AWSCURRENT\"],"
                + "\"CreatedDate\":1.7e9}";
    }

    @Override
    public void close() {
        server.stop();
    }
}
