package dev.crmsync.helpdesk;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Zendesk Support's wire format: JSON bodies, API-token auth ({@code Basic
 * base64("{email}/token:{api_token}")}), and errors read from Zendesk's body ({@code error},
 * {@code description}, {@code details} per field), not from the status code alone. A 429 or 503
 * body may be plain text; only its {@code Retry-After} header matters then.
 */
final class ZendeskClient {
    private final URI baseUrl;
    private final HttpClient http;
    private final ObjectMapper mapper;

    ZendeskClient(URI baseUrl, HttpClient http, ObjectMapper mapper) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.mapper = mapper;
    }

    URI baseUrl() {
        return baseUrl;
    }

    /** A Zendesk call that did not succeed, with its classified failure; stops an operation at the first failed call. */
    static class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient SyncFailure failure;

        CallFailed(SyncFailure failure) {
            // no stack trace: an expected outcome, reported through the failure
            super(failure.errorClass(), null, false, false);
            this.failure = failure;
        }

        SyncFailure failure() {
            return failure;
        }
    }

    /** A 404 {@code RecordNotFound}: the object the call names does not exist (any more). */
    static final class RecordNotFound extends CallFailed {
        private static final long serialVersionUID = 1L;

        RecordNotFound(SyncFailure failure) {
            super(failure);
        }
    }

    /** A successful answer: its status (201 created, 200 updated, 204 deleted) and body (empty object when none). */
    record Answer(int status, JsonNode body) {}

    Answer post(String path, JsonNode body, Credentials credentials, Optional<Duration> timeout, List<String> personal) throws CallFailed {
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new CallFailed(new SyncFailure.Permanent("request_unsendable", "POST " + path + " not sent: " + e.getOriginalMessage()));
        }
        return send("POST " + path, credentials, timeout, personal, request -> request.uri(baseUrl.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer delete(String path, Credentials credentials, Optional<Duration> timeout) throws CallFailed {
        return send("DELETE " + path, credentials, timeout, List.of(), request -> request.uri(baseUrl.resolve(path)).DELETE());
    }

    /** {@code GET <resource>/search?external_id=…}: the first match's id, if any. */
    Optional<String> findByExternalId(String resource, String externalId, Credentials credentials, Optional<Duration> timeout)
            throws CallFailed {
        String path = "api/v2/" + resource + "/search?external_id=" + URLEncoder.encode(externalId, StandardCharsets.UTF_8);
        JsonNode found = send("GET api/v2/" + resource + "/search", credentials, timeout, List.of(),
                request -> request.uri(baseUrl.resolve(path)).GET()).body().path(resource);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0).path("id").asText());
    }

    private Answer send(String call, Credentials credentials, Optional<Duration> timeout, List<String> personal,
                        UnaryOperator<HttpRequest.Builder> specifics) throws CallFailed {
        String authorization;
        try {
            String token = credentials.require("apiToken");
            String email = credentials.require("email");
            authorization = "Basic " + Base64.getEncoder().encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
        } catch (Credentials.UnusableValueException e) {
            // Treated as a refused token: the pipeline re-reads the secret once (it may have been
            // fixed since this container cached it), then fails permanently with this reason.
            throw new CallFailed(new SyncFailure.Unauthorized(call + " not sent: " + e.getMessage()));
        }
        if (timeout.isEmpty()) {
            throw new CallFailed(new SyncFailure.Retryable("deadline", call + " not started: it could outlive this attempt's lease"));
        }
        HttpResponse<String> response;
        try {
            HttpRequest request = specifics.apply(HttpRequest.newBuilder())
                    .timeout(timeout.get())
                    .header("Authorization", authorization)
                    .header("Accept", "application/json")
                    .build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException e) {
            // the client's message may quote the refused header value: dropped
            throw new CallFailed(new SyncFailure.Permanent("request_unsendable",
                    call + " not sent: the HTTP client refused a header value or the URL of the request"));
        } catch (HttpTimeoutException e) {
            throw new CallFailed(new SyncFailure.Retryable("timeout", call + " timed out after " + timeout.get()));
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : " " + credentials.redact(e.getMessage());
            throw new CallFailed(new SyncFailure.Retryable("network", call + " failed: " + e.getClass().getSimpleName() + message));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed(new SyncFailure.Retryable("interrupted", call + " was interrupted"));
        }
        int status = response.statusCode();
        JsonNode body = parse(response);
        if (status >= 200 && status < 300) {
            return new Answer(status, body);
        }
        SyncFailure failure = classify(call, status, body, response, personal);
        if (status == 404) {
            throw new RecordNotFound(failure);
        }
        throw new CallFailed(failure);
    }

    private static SyncFailure classify(String call, int status, JsonNode body, HttpResponse<String> response, List<String> personal) {
        String error = body.path("error").isTextual() ? body.path("error").asText() : body.path("error").path("title").asText("");
        String what = call + " → " + status + (error.isEmpty() ? "" : " " + error);
        if (status == 401) {
            return new SyncFailure.Unauthorized(what + ": the API token was refused");
        }
        String reason = what + describe(body, personal);
        Optional<Duration> retryAfter = retryAfter(response);
        if (status == 429) {
            String remaining = response.headers().firstValue("X-Rate-Limit-Remaining").map(r -> " (X-Rate-Limit-Remaining " + r + ")").orElse("");
            return new SyncFailure.Retryable("rate_limited", reason + remaining, retryAfter);
        }
        if (status == 409) {
            return new SyncFailure.Retryable("conflict", reason, retryAfter);
        }
        if (status >= 500) {
            return new SyncFailure.Retryable("vendor_5xx", reason, retryAfter);
        }
        return new SyncFailure.Permanent("vendor_rejected", reason);
    }

    /**
     * Zendesk's {@code description} and each field's {@code details}, with the record's personal
     * values (which Zendesk quotes: "Email: dana@… is not properly formatted") taken out, so the
     * status record says which field was refused and why without holding the person's data.
     */
    private static String describe(JsonNode body, List<String> personal) {
        List<String> parts = new ArrayList<>();
        String description = body.path("description").asText("");
        if (!description.isEmpty()) {
            parts.add(description);
        }
        body.path("details").fields().forEachRemaining(field -> {
            for (JsonNode problem : field.getValue()) {
                parts.add(field.getKey() + ": " + problem.path("description").asText(problem.asText()));
            }
        });
        String text = parts.isEmpty() ? "" : ": " + String.join("; ", parts);
        for (String value : personal) {
            if (value != null && !value.isBlank()) {
                text = text.replace(value, "[redacted]");
            }
        }
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }

    private JsonNode parse(HttpResponse<String> response) {
        String body = response.body();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (body == null || body.isBlank() || !type.toLowerCase(Locale.ROOT).contains("json")) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    /** Zendesk sends {@code Retry-After} in seconds. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
            } catch (NumberFormatException notSeconds) {
                return Optional.empty();
            }
        });
    }
}
