package dev.crmsync.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a vendor sandbox answers: status, body and headers; or no response at all ({@link
 * #connectionReset()}). {@code replayed} marks an answer repeated from an earlier request (an
 * idempotent replay) for the request log. Immutable: the {@code with…} methods return a copy.
 */
public record SandboxReply(
        int status,
        byte[] body,
        Map<String, String> headers,
        boolean resetConnection,
        long delayMillis,
        boolean replayed) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SandboxReply {
        body = body == null ? new byte[0] : body;
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** {@code status} with {@code body} of the given content type. */
    public static SandboxReply of(int status, String contentType, byte[] body) {
        return new SandboxReply(status, body, Map.of("Content-Type", contentType), false, 0, false);
    }

    /** {@code status} with a JSON body ({@code Content-Type: application/json}). */
    public static SandboxReply json(int status, JsonNode body) {
        return of(status, "application/json", bytes(body));
    }

    /** No response: the connection is reset (the request log records status 0). */
    public static SandboxReply connectionReset() {
        return new SandboxReply(0, null, Map.of(), true, 0, false);
    }

    /** This reply with a header set (replacing one of the same name). */
    public SandboxReply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(withoutHeader(name).headers());
        h.put(name, value);
        return new SandboxReply(status, body, h, resetConnection, delayMillis, replayed);
    }

    /** This reply without the header (any case of its name). */
    public SandboxReply withoutHeader(String name) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.keySet().removeIf(name::equalsIgnoreCase);
        return new SandboxReply(status, body, h, resetConnection, delayMillis, replayed);
    }

    /** This reply sent only after {@code millis}. */
    public SandboxReply delayedBy(long millis) {
        return new SandboxReply(status, body, headers, resetConnection, millis, replayed);
    }

    /** This reply marked as a replay of an earlier answer. */
    public SandboxReply asReplay() {
        return new SandboxReply(status, body, headers, resetConnection, delayMillis, true);
    }

    /** JSON as bytes, for bodies a vendor keeps (e.g. under an idempotency key). */
    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
