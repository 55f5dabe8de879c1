package dev.crmsync.sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slack's Web API conventions: errors as HTTP 200 {@code {"ok":false,"error":…}} (only a rate limit
 * uses a status), arguments as a JSON body or form and query parameters, and how they are read.
 */
final class SlackReplies {
    /** The package's one mapper. */
    static final ObjectMapper JSON = new ObjectMapper();

    private SlackReplies() {}

    /**
     * {@link SlackSandbox#errorReply}; {@code revokedAs} is the error a refused token was revoked
     * with ({@code token_revoked}), null when it was not revoked.
     */
    static SandboxReply errorReply(SandboxError error, String revokedAs) {
        return switch (error) {
            case SandboxError.Failure(int status, String cause) -> {
                if (status == 429) {
                    yield notOk(429, "ratelimited").withHeader("Retry-After", "1");
                }
                ObjectNode body = JSON.createObjectNode()
                        .put("ok", false)
                        .put("error", status >= 500 ? "internal_error" : "invalid_request");
                if (cause != null) {
                    body.put("detail", cause);
                }
                yield SandboxReply.json(status, body);
            }
            case SandboxError.RateLimited(int seconds) ->
                notOk(429, "ratelimited").withHeader("Retry-After", Integer.toString(seconds));
            case SandboxError.Rejected(int status, String name, String message) -> {
                ObjectNode body = JSON.createObjectNode().put("ok", false).put("error", name);
                if (message != null) {
                    body.putArray("response_metadata").add(message);
                }
                yield SandboxReply.json(status, body);
            }
            case SandboxError.Unauthorized(String token) ->
                notOk(200, token == null ? "not_authed" : revokedAs != null ? revokedAs : "invalid_auth");
        };
    }

    /** JSON body fields, or form and query parameters, as Slack accepts either. */
    static Map<String, JsonNode> arguments(SandboxRequest request) {
        Map<String, JsonNode> args = new LinkedHashMap<>();
        request.params().forEach((k, v) -> args.put(k, JSON.getNodeFactory().textNode(v)));
        if (request.json() != null) {
            request.json().properties().forEach(e -> args.put(e.getKey(), e.getValue()));
        }
        return args;
    }

    static String textOf(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    static BigDecimal decimal(JsonNode node, String fallback) {
        String value = textOf(node);
        try {
            return new BigDecimal(value == null || value.isBlank() ? fallback : value.trim());
        } catch (NumberFormatException e) {
            throw new Rejection(200, "invalid_arguments", "not a number: " + value);
        }
    }

    static JsonNode parse(String json, String error) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new Rejection(200, error, e.getMessage());
        }
    }

    static SandboxReply notOk(int status, String error) {
        return SandboxReply.json(
                status, JSON.createObjectNode().put("ok", false).put("error", error));
    }
}
