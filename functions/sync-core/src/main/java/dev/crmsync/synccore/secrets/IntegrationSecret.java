package dev.crmsync.synccore.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.synccore.connector.Credentials;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;

/**
 * The integration's credentials, read through Powertools Parameters and cached for minutes (not
 * per record). When the vendor answers 401 the pipeline asks for one forced re-read, for a key
 * that was rotated since the container cached it. Values never reach a log or an exception.
 */
public final class IntegrationSecret {
    private final SecretsProvider provider;
    private final String secretId;
    private final ObjectMapper mapper;
    private final Duration maxAge;
    private Credentials current;

    public IntegrationSecret(SecretsProvider provider, String secretId, ObjectMapper mapper, Duration maxAge) {
        this.provider = provider;
        this.secretId = secretId;
        this.mapper = mapper;
        this.maxAge = maxAge;
    }

    /** The cached credentials, re-read when older than the max age. */
    public synchronized Credentials current() {
        current = parse(provider.withMaxAge((int) maxAge.toSeconds(), ChronoUnit.SECONDS).get(secretId));
        return current;
    }

    /**
     * Re-reads the secret after the vendor rejected {@code rejected}; when another record of the
     * batch already refreshed it, the newer value is returned without another read.
     */
    public synchronized Credentials refreshAfterRejection(Credentials rejected) {
        if (current != null && !current.equals(rejected)) {
            return current;
        }
        current = parse(provider.withMaxAge(0, ChronoUnit.SECONDS).get(secretId));
        return current;
    }

    private Credentials parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("secret " + secretId + " has no value yet (put one with put-secret-value)");
        }
        JsonNode node;
        try {
            node = mapper.readTree(value);
        } catch (JsonProcessingException e) {
            // The parser's message would quote the secret: say only what is wrong.
            throw new IllegalStateException("secret " + secretId + " is not a JSON object of strings");
        }
        if (!node.isObject()) {
            throw new IllegalStateException("secret " + secretId + " is not a JSON object of strings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        return new Credentials(values);
    }
}
