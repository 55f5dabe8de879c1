package dev.crmsync.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.SyncFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Stripe's wire format: form-encoded requests with bracketed nested keys, Bearer auth, an
 * {@code Idempotency-Key} on every write, and errors read from Stripe's {@code error} object
 * (its {@code type}), not from the status code alone.
 */
final class StripeClient {
    private final URI baseUrl;
    private final HttpClient http;
    private final ObjectMapper mapper;

    StripeClient(URI baseUrl, HttpClient http, ObjectMapper mapper) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.mapper = mapper;
    }

    /**
     * A Stripe call that did not succeed, with its classified failure. Checked, so that an
     * operation of several calls stops at the first failed one and says why, in one place.
     */
    static final class CallFailed extends Exception {
        private final transient SyncFailure failure;

        CallFailed(SyncFailure failure) {
            // no stack trace: this is an expected outcome, reported through the failure
            super(failure.errorClass(), null, false, false);
            this.failure = failure;
        }

        SyncFailure failure() {
            return failure;
        }
    }

    JsonNode post(String path, Map<String, String> params, String idempotencyKey, Credentials credentials,
                  Optional<Duration> timeout) throws CallFailed {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(startable(timeout, "POST " + path))
                .header("Authorization", "Bearer " + credentials.require("apiKey"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(params)))
                .build();
        return send(request, "POST " + path);
    }

    /**
     * The first object of {@code resource} (customers, invoices) whose metadata {@code key} is
     * {@code value}, through Stripe's search, which lags up to a minute behind writes.
     */
    Optional<JsonNode> findByMetadata(String resource, String key, String value, Credentials credentials,
                                      Optional<Duration> timeout) throws CallFailed {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("v1/" + resource + "/search?query="
                        + encode("metadata['" + key + "']:'" + value + "'")))
                .timeout(startable(timeout, "GET v1/" + resource + "/search"))
                .header("Authorization", "Bearer " + credentials.require("apiKey"))
                .GET()
                .build();
        JsonNode data = send(request, "GET v1/" + resource + "/search").path("data");
        return data.isEmpty() ? Optional.empty() : Optional.of(data.get(0));
    }

    /** The call's timeout; none left means the call could outlive the lease, so it is not started. */
    private static Duration startable(Optional<Duration> timeout, String call) throws CallFailed {
        if (timeout.isEmpty()) {
            throw new CallFailed(new SyncFailure.Retryable("deadline", call + " not started: it could outlive this attempt's lease"));
        }
        return timeout.get();
    }

    private JsonNode send(HttpRequest request, String call) throws CallFailed {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new CallFailed(new SyncFailure.Retryable("timeout", call + " timed out after " + request.timeout().orElse(null)));
        } catch (IOException e) {
            throw new CallFailed(new SyncFailure.Retryable("network", call + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed(new SyncFailure.Retryable("interrupted", call + " was interrupted"));
        }
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 200 && status < 300) {
            return body;
        }
        throw new CallFailed(classify(call, status, body, retryAfter(response)));
    }

    private static SyncFailure classify(String call, int status, JsonNode body, Optional<Duration> retryAfter) {
        JsonNode error = body.path("error");
        String type = error.path("type").asText("");
        String code = error.path("code").asText("");
        String param = error.path("param").asText("");
        String what = call + " → " + status + (type.isEmpty() ? "" : " " + type) + (code.isEmpty() ? "" : "/" + code)
                + (param.isEmpty() ? "" : " (param " + param + ")");
        if (status == 401) {
            // Stripe's message quotes a masked key; the reason keeps only the class of the error.
            return new SyncFailure.Unauthorized(what + ": the API key was rejected");
        }
        String message = error.path("message").asText("");
        String reason = message.isEmpty() ? what : what + ": " + message;
        if (status == 429) {
            return new SyncFailure.Retryable("rate_limited", reason, retryAfter);
        }
        if (status == 409 || code.equals("idempotency_key_in_use")) {
            return new SyncFailure.Retryable("conflict", reason, retryAfter);
        }
        if (status >= 500) {
            return new SyncFailure.Retryable("vendor_5xx", reason, retryAfter);
        }
        if (type.equals("idempotency_error")) {
            return new SyncFailure.Permanent("idempotency_error", reason
                    + " — the same operation was first sent with other parameters; reconcile it in Stripe by hand");
        }
        return new SyncFailure.Permanent("vendor_rejected", reason);
    }

    private JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.trim())));
            } catch (NumberFormatException notSeconds) {
                try {
                    ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                    Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                    return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
                } catch (RuntimeException unparseable) {
                    return Optional.empty();
                }
            }
        });
    }

    static String formEncode(Map<String, String> params) {
        StringJoiner joined = new StringJoiner("&");
        params.forEach((key, value) -> joined.add(encode(key) + "=" + encode(value == null ? "" : value)));
        return joined.toString();
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
