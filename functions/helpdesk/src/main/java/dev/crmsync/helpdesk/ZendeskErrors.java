package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.VendorHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Zendesk's errors, read from its body ({@code error}, {@code description}, {@code details} per
 * field), not from the status code alone: the failure a call that was not answered with a 2xx
 * throws, classified ({@link ErrorClass}) and typed where a caller answers it ({@link RecordNotFound},
 * {@link NameTaken}, {@link ExternalIdTaken}).
 */
final class ZendeskErrors {
    private ZendeskErrors() {}

    /**
     * A 404 with Zendesk's own body {@code {"error":"RecordNotFound","description":"Not found"}}:
     * the object the call names does not exist (any more). Any other 404 — Zendesk's
     * {@code InvalidEndpoint}, or a page from a host that is not the account's API (a mistyped
     * subdomain, a proxy) — says nothing about the object and is a plain {@code endpoint_not_found}
     * failure instead.
     */
    static final class RecordNotFound extends VendorHttp.CallFailed {
        private static final long serialVersionUID = 1L;

        RecordNotFound(SyncFailure failure) {
            super(failure);
        }
    }

    /**
     * 422 {@code RecordInvalid} on {@code name}: "has already been taken". Organization names are
     * unique in Zendesk and name is no matching criterion of {@code create_or_update}
     * (https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#create-or-update-organization),
     * so a company already in Zendesk by hand answers this on its first sync.
     */
    static final class NameTaken extends VendorHttp.CallFailed {
        NameTaken(SyncFailure failure) {
            super(failure);
        }
    }

    /**
     * 422 {@code RecordInvalid} on {@code external_id}: another user holds it. Zendesk does not
     * document whether a soft-deleted user keeps its {@code external_id}; when it does, a contact
     * deleted and created again in the CRM answers this until that user is permanently deleted.
     */
    static final class ExternalIdTaken extends VendorHttp.CallFailed {
        ExternalIdTaken(SyncFailure failure) {
            super(failure);
        }
    }

    /**
     * The failure of {@code call}, answered {@code status} with {@code body} (an empty object when it was not JSON).
     */
    static VendorHttp.CallFailed failed(
            String call, int status, JsonNode body, HttpResponse<String> response, List<String> personal) {
        if (status == 404 && !"RecordNotFound".equals(body.path("error").asText(""))) {
            return new VendorHttp.CallFailed(notZendesksRecordNotFound(call, body, response));
        }
        SyncFailure failure = classify(call, status, body, response, personal);
        if (status == 404) {
            return new RecordNotFound(failure);
        }
        if (status == 422 && nameTaken(body)) {
            return new NameTaken(failure);
        }
        if (status == 422 && body.path("details").has("external_id")) {
            return new ExternalIdTaken(failure);
        }
        return new VendorHttp.CallFailed(failure);
    }

    /**
     * Permanent: the request did not reach an object of the configured account (Zendesk's
     * {@code InvalidEndpoint}: a path it does not serve; anything else: a host that is not the
     * account's API). No retry changes that; the DLQ and the status record bring it to on-call, who
     * fixes the configuration and redrives. Counting it as "already gone" would commit deletes
     * Zendesk never saw.
     */
    private static SyncFailure notZendesksRecordNotFound(String call, JsonNode body, HttpResponse<String> response) {
        String error = body.path("error").asText("");
        error = error.length() > 80 ? error.substring(0, 80) + "…" : error;
        String answered = error.isEmpty()
                ? "a " + response.headers().firstValue("Content-Type").orElse("body without Content-Type") + " answer"
                : "Zendesk's " + error;
        return new SyncFailure.Permanent(
                ErrorClass.ENDPOINT_NOT_FOUND,
                call + " → 404 " + answered + ", not RecordNotFound: the request did not reach"
                        + " the account's object (check CRM_SYNC_OPTION_SUBDOMAIN / CRM_SYNC_VENDOR_URL and anything "
                        + "in between)");
    }

    private static SyncFailure classify(
            String call, int status, JsonNode body, HttpResponse<String> response, List<String> personal) {
        String error = body.path("error").isTextual()
                ? body.path("error").asText()
                : body.path("error").path("title").asText("");
        String what = call + " → " + status + (error.isEmpty() ? "" : " " + error);
        if (status == 401) {
            return new SyncFailure.Unauthorized(what + ": the API token was refused");
        }
        String reason = what + describe(body, personal);
        if (status == 403) {
            // the token is valid but its user's role may not make this call: no retry gives it another role
            return new SyncFailure.Permanent(
                    ErrorClass.FORBIDDEN,
                    reason + " — the secret's token must belong to an admin, or to an agent whose"
                            + " custom role can manage end users and organizations (Enterprise); give the token's "
                            + "user that role, or put an"
                            + " admin's e-mail and token in the secret, then redrive");
        }
        Optional<Duration> retryAfter = VendorHttp.retryAfter(response);
        if (status == 429) {
            String remaining = response.headers()
                    .firstValue("X-Rate-Limit-Remaining")
                    .map(r -> " (X-Rate-Limit-Remaining " + r + ")")
                    .orElse("");
            return new SyncFailure.Retryable(ErrorClass.RATE_LIMITED, reason + remaining, retryAfter);
        }
        if (status == 409) {
            return new SyncFailure.Retryable(ErrorClass.CONFLICT, reason, retryAfter);
        }
        if (status >= 500) {
            return new SyncFailure.Retryable(ErrorClass.VENDOR_5XX, reason, retryAfter);
        }
        return new SyncFailure.Permanent(ErrorClass.VENDOR_REJECTED, reason);
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

    private static boolean nameTaken(JsonNode body) {
        for (JsonNode problem : body.path("details").path("name")) {
            if (problem.path("description").asText("").contains("has already been taken")) {
                return true;
            }
        }
        return false;
    }
}
