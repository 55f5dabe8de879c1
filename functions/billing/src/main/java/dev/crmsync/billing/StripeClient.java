package dev.crmsync.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.VendorHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/**
 * Stripe's wire format: form-encoded requests with bracketed nested keys, Bearer auth, a pinned
 * {@code Stripe-Version}, an {@code Idempotency-Key} on every write, and errors read from
 * Stripe's {@code error} object (its {@code type} and {@code code}), not from the status code alone.
 */
final class StripeClient {
    /**
     * The API version every request asks for, so that response shapes (an invoice line's
     * {@code parent.invoice_item_details}) do not change when someone upgrades the account's
     * default version in the Dashboard. 2026-07-29.dahlia is the version Stripe's own SDKs pinned
     * on that day and the one its OpenAPI fixtures describe, from which the test sandbox serves
     * its objects.
     */
    static final String API_VERSION = "2026-07-29.dahlia";

    private final URI baseUrl;
    private final VendorHttp http;

    StripeClient(URI baseUrl, HttpClient http, ObjectMapper mapper) {
        this.baseUrl = baseUrl;
        this.http = new VendorHttp(http, mapper);
    }

    /**
     * A 5xx that Stripe stored under the request's idempotency key and replayed
     * ({@code Idempotent-Replayed: true}): every retry with that key gets the same answer for 24 h.
     */
    static final class ReplayedServerError extends VendorHttp.CallFailed {
        private static final long serialVersionUID = 1L;

        ReplayedServerError(SyncFailure failure) {
            super(failure);
        }
    }

    /**
     * A 400 {@code idempotency_error}: Stripe saw the request's key with other parameters (or on
     * another endpoint). The keys are the connector's own, named for one operation, so the earlier
     * request was another attempt at that operation: what it left is found, or the next key
     * generation is used — it is never a failure no retry can fix.
     */
    static final class KeyUsedWithOtherParameters extends VendorHttp.CallFailed {
        private static final long serialVersionUID = 1L;

        KeyUsedWithOtherParameters(SyncFailure failure) {
            super(failure);
        }
    }

    /** A 404 {@code resource_missing}: the object the call names does not exist (any more). */
    static final class ResourceMissing extends VendorHttp.CallFailed {
        private static final long serialVersionUID = 1L;

        ResourceMissing(SyncFailure failure) {
            super(failure);
        }
    }

    JsonNode post(
            String path, Map<String, String> params, String idempotencyKey, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        return send(
                "POST " + path,
                credentials,
                calls,
                request -> request.uri(baseUrl.resolve(path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofString(formEncode(params))));
    }

    /** The object at {@code path} as it is now (retrieval by id is not eventually consistent, search is). */
    JsonNode get(String path, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        return send(
                "GET " + path,
                credentials,
                calls,
                request -> request.uri(baseUrl.resolve(path)).GET());
    }

    /**
     * The newest object of {@code resource} (customers, invoices) whose metadata {@code key} is
     * exactly {@code value}, through Stripe's search, which lags up to a minute behind writes.
     * Stripe compares metadata without regard to case (https://docs.stripe.com/search#search-query-language:
     * ':' is an "exact match operator (case insensitive)"), while CRM ids are case-sensitive
     * (Salesforce's {@code 001…aB} and {@code 001…Ab} are two accounts): the hits are filtered by
     * exact equality, so a record never adopts the object of an id that differs only in case. One
     * page of 100 is more case variants of one id than any CRM has.
     */
    Optional<JsonNode> findByMetadata(
            String resource, String key, String value, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        String query =
                "v1/" + resource + "/search?limit=100&query=" + encode("metadata['" + key + "']:'" + value + "'");
        JsonNode data = send(
                        "GET v1/" + resource + "/search",
                        credentials,
                        calls,
                        request -> request.uri(baseUrl.resolve(query)).GET())
                .path("data");
        for (JsonNode hit : data) {
            if (hit.path("metadata").path(key).asText("").equals(value)) {
                return Optional.of(hit);
            }
        }
        return Optional.empty();
    }

    private JsonNode send(
            String call, Credentials credentials, CallBudget calls, UnaryOperator<HttpRequest.Builder> specifics)
            throws VendorHttp.CallFailed {
        String apiKey = VendorHttp.secret(credentials, "apiKey", call);
        HttpResponse<String> response = http.send(
                call,
                calls,
                message -> message.replace(apiKey, "****"),
                request -> specifics
                        .apply(request)
                        .header("Authorization", "Bearer " + apiKey)
                        .header("Stripe-Version", API_VERSION));
        int status = response.statusCode();
        JsonNode body = http.json(response.body());
        if (status >= 200 && status < 300) {
            return body;
        }
        SyncFailure failure = classify(call, status, body, VendorHttp.retryAfter(response));
        if (status >= 500
                && response.headers()
                        .firstValue("Idempotent-Replayed")
                        .filter("true"::equalsIgnoreCase)
                        .isPresent()) {
            throw new ReplayedServerError(new SyncFailure.Retryable(
                    failure.errorClass(),
                    failure.reason() + " (a stored answer Stripe replays for this idempotency key)",
                    VendorHttp.retryAfter(response)));
        }
        if (status == 400 && body.path("error").path("type").asText("").equals("idempotency_error")) {
            throw new KeyUsedWithOtherParameters(failure);
        }
        if (status == 404 && body.path("error").path("code").asText("").equals("resource_missing")) {
            throw new ResourceMissing(failure);
        }
        throw new VendorHttp.CallFailed(failure);
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
            return new SyncFailure.Retryable(ErrorClass.RATE_LIMITED, reason, retryAfter);
        }
        if (status == 409 || code.equals("idempotency_key_in_use")) {
            return new SyncFailure.Retryable(ErrorClass.CONFLICT, reason, retryAfter);
        }
        if (status >= 500) {
            return new SyncFailure.Retryable(ErrorClass.VENDOR_5XX, reason, retryAfter);
        }
        if (type.equals("idempotency_error")) {
            return new SyncFailure.Retryable(
                    ErrorClass.IDEMPOTENCY_ERROR,
                    reason
                            + " — an earlier attempt sent this key with other parameters, and so did every later key "
                            + "generation tried",
                    retryAfter);
        }
        return new SyncFailure.Permanent(ErrorClass.VENDOR_REJECTED, reason);
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
