package dev.crmsync.synccore.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.synccore.connector.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private final SecretsProvider refreshProvider;
    private final Clock clock;
    private Credentials current;
    private Credentials refreshed;
    private Instant refreshedAt = Instant.MIN;

    /**
     * @param provider        the cached reads (max age {@code maxAge})
     * @param refreshProvider reads that bypass the cache: its values are stored with max age 0
     */
    public IntegrationSecret(
            SecretsProvider provider,
            SecretsProvider refreshProvider,
            String secretId,
            ObjectMapper mapper,
            Duration maxAge,
            Clock clock) {
        this.provider = provider;
        this.refreshProvider = refreshProvider;
        this.secretId = secretId;
        this.mapper = mapper;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The cached credentials, re-read when older than the max age. */
    public synchronized Credentials current() {
        // A value re-read after a 401 is newer than the provider's cached one until that expires too.
        if (refreshed != null && clock.instant().isBefore(refreshedAt.plus(maxAge))) {
            current = refreshed;
        } else {
            refreshed = null;
            current = parse(provider.withMaxAge((int) maxAge.toSeconds(), ChronoUnit.SECONDS)
                    .get(secretId));
        }
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
        refreshed = parse(refreshProvider.withMaxAge(0, ChronoUnit.SECONDS).get(secretId));
        refreshedAt = clock.instant();
        current = refreshed;
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
