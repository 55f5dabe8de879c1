package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.StripeSandbox.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stripe's answers: the error body ({@code {"error":{"type","code","param","message"}}}), the errors
 * for faults and API keys, and the headers every reply carries ({@code Request-Id}, {@code
 * Stripe-Version}, {@code Idempotency-Key}, and {@code Idempotent-Replayed} on a replay).
 */
final class StripeReplies {
    private static final Pattern KEY_PREFIX = Pattern.compile("^((?:sk|rk|pk)_(?:test|live)_)");
    static final String DEFAULT_STRIPE_VERSION = "2025-08-27.basil";
    private static final String SERVER_ERROR_MESSAGE =
            "Sorry, something went wrong. We've already been notified of the problem, but if you need any"
                    + " help, you can reach us at support.stripe.com/contact.";

    private StripeReplies() {}

    static String mask(String apiKey) {
        Matcher m = KEY_PREFIX.matcher(apiKey);
        String prefix = m.find() ? m.group(1) : "";
        String rest = apiKey.substring(prefix.length());
        String tail = rest.length() > 8 ? rest.substring(rest.length() - 4) : "";
        return prefix + "****" + tail;
    }

    static Outcome serverError(int status) {
        return new Outcome(status, bytes(errorBody("api_error", null, null, SERVER_ERROR_MESSAGE)), true);
    }

    static ObjectNode errorBody(String type, String code, String param, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("type", type);
        if (code != null) {
            error.put("code", code);
        }
        if (param != null) {
            error.put("param", param);
        }
        error.put("message", message);
        return root;
    }

    /** Stripe's answer for an error the shared sandbox raises (faults, API keys, its own bugs). */
    static SandboxReply errorReply(SandboxRequest req, SandboxError error) {
        return switch (error) {
            case SandboxError.Failure(int status, String cause)
            when cause != null ->
                errorReply(
                        status,
                        "api_error",
                        null,
                        null,
                        "StripeSandbox internal error: " + cause,
                        req,
                        req.header("Idempotency-Key"));
            case SandboxError.Failure(int status, String cause) -> failure(status, req);
            case SandboxError.RateLimited(int retryAfterSeconds) ->
                errorReply(
                                429,
                                "invalid_request_error",
                                "rate_limit",
                                null,
                                "Too many requests hit the API too quickly. We recommend an exponential backoff of "
                                        + "your requests.",
                                req,
                                null)
                        .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
            case SandboxError.Rejected(int status, String type, String message) ->
                errorReply(status, type, null, null, message, req, null);
            case SandboxError.Unauthorized(String key)
            when key == null ->
                errorReply(
                                401,
                                "invalid_request_error",
                                null,
                                null,
                                "You did not provide an API key. You need to provide your API key in the "
                                        + "Authorization header,"
                                        + " using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See"
                                        + " https://stripe.com/docs/api#authentication for details, or we can help at"
                                        + " https://support.stripe.com/.",
                                req,
                                null)
                        .withHeader("WWW-Authenticate", "Bearer realm=\"Stripe\"");
            case SandboxError.Unauthorized(String key) ->
                errorReply(
                                401,
                                "invalid_request_error",
                                null,
                                null,
                                "Invalid API Key provided: " + mask(key),
                                req,
                                null)
                        .withHeader("WWW-Authenticate", "Bearer realm=\"Stripe\"");
        };
    }

    /** Stripe's usual error for {@code status}. */
    private static SandboxReply failure(int s, SandboxRequest req) {
        if (s >= 500) {
            return errorReply(s, "api_error", null, null, SERVER_ERROR_MESSAGE, req, null);
        } else if (s == 409) {
            return errorReply(
                    s,
                    "invalid_request_error",
                    "lock_timeout",
                    null,
                    "This object cannot be accessed right now because another API request or Stripe process is"
                            + " currently accessing it. If you see this error intermittently, retry the request.",
                    req,
                    null);
        } else if (s == 429) {
            return errorReply(
                    s,
                    "invalid_request_error",
                    "rate_limit",
                    null,
                    "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
                    req,
                    null);
        } else if (s == 401) {
            return errorReply(
                    s, "invalid_request_error", null, null, "Invalid API Key provided: sk_test_****", req, null);
        } else if (s == 402) {
            return errorReply(s, "card_error", "card_declined", null, "Your card was declined.", req, null);
        } else if (s == 404) {
            return errorReply(s, "invalid_request_error", "resource_missing", "id", "No such object", req, null);
        }
        return errorReply(s, "invalid_request_error", null, null, "Invalid request.", req, null);
    }

    static SandboxReply errorReply(
            int status, String type, String code, String param, String message, SandboxRequest req, String key) {
        return reply(status, bytes(errorBody(type, code, param, message)), req, key, null, null);
    }

    static SandboxReply reply(
            int status, byte[] body, SandboxRequest req, String key, String version, String originalRequest) {
        SandboxReply r = SandboxReply.of(status, "application/json", body)
                .withHeader("Request-Id", "req_" + req.id())
                .withHeader("Stripe-Version", version != null ? version : DEFAULT_STRIPE_VERSION);
        if (key != null) {
            r = r.withHeader("Idempotency-Key", key);
        }
        if (originalRequest != null) {
            r = r.withHeader("Idempotent-Replayed", "true").withHeader("Original-Request", originalRequest);
        }
        return r;
    }

    static byte[] bytes(JsonNode node) {
        return SandboxReply.bytes(node);
    }
}
