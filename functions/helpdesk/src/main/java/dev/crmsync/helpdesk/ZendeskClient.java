package dev.crmsync.helpdesk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private final VendorHttp http;
    private final ObjectMapper mapper;

    ZendeskClient(URI baseUrl, HttpClient http, ObjectMapper mapper) {
        this.baseUrl = baseUrl;
        this.http = new VendorHttp(http, mapper);
        this.mapper = mapper;
    }

    URI baseUrl() {
        return baseUrl;
    }

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

    /** A successful answer: its status (201 created, 200 updated, 204 deleted) and body (empty object when none). */
    record Answer(int status, JsonNode body) {}

    Answer post(String path, JsonNode body, Credentials credentials, CallBudget calls, List<String> personal) throws VendorHttp.CallFailed {
        return sendJson("POST", path, body, credentials, calls, personal);
    }

    Answer put(String path, JsonNode body, Credentials credentials, CallBudget calls, List<String> personal) throws VendorHttp.CallFailed {
        return sendJson("PUT", path, body, credentials, calls, personal);
    }

    private Answer sendJson(String method, String path, JsonNode body, Credentials credentials, CallBudget calls, List<String> personal)
            throws VendorHttp.CallFailed {
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new VendorHttp.CallFailed(new SyncFailure.Permanent(ErrorClass.REQUEST_UNSENDABLE, method + " " + path + " not sent: " + e.getOriginalMessage()));
        }
        return send(method + " " + path, credentials, calls, personal, request -> request.uri(baseUrl.resolve(path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code GET api/v2/<collection>/<id>}: the object, or empty after a {@code RecordNotFound}. */
    Optional<JsonNode> show(ZendeskObject kind, String id, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        String path = kind.path(id);
        try {
            return Optional.of(send("GET " + path, credentials, calls, List.of(), request -> request.uri(baseUrl.resolve(path)).GET())
                    .body().path(kind.key()));
        } catch (RecordNotFound gone) {
            return Optional.empty();
        }
    }

    Answer delete(String path, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        return send("DELETE " + path, credentials, calls, List.of(), request -> request.uri(baseUrl.resolve(path)).DELETE());
    }

    /**
     * {@code GET <collection>/search?external_id=…}: the objects whose {@code external_id} is
     * exactly {@code externalId}. Zendesk matches it "exactly … (case insensitive)"
     * (https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations),
     * so an object of an id that differs only in case is in the answer too and is left out here.
     * A soft-deleted user is gone for this purpose and is left out as well.
     */
    List<JsonNode> findByExternalId(ZendeskObject kind, String externalId, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        String path = kind.collectionPath() + "/search?external_id=" + URLEncoder.encode(externalId, StandardCharsets.UTF_8);
        JsonNode found = send("GET " + kind.collectionPath() + "/search", credentials, calls, List.of(),
                request -> request.uri(baseUrl.resolve(path)).GET()).body().path(kind.collection());
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode object : found) {
            if (externalId.equals(object.path("external_id").asText(null)) && object.path("active").asBoolean(true)) {
                matching.add(object);
            }
        }
        return matching;
    }

    /**
     * {@code GET users/search?query=email:"…"}: the active users Zendesk finds by this e-mail address
     * (Search Users' {@code query} takes the search syntax,
     * https://developer.zendesk.com/api-reference/ticketing/users/users/#search-users). The address
     * is personal: the call is logged without it, and an error reason has it redacted.
     */
    List<JsonNode> usersWithEmail(String email, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        String path = ZendeskObject.USER.collectionPath() + "/search?query="
                + URLEncoder.encode("email:\"" + email + "\"", StandardCharsets.UTF_8);
        JsonNode found = send("GET " + ZendeskObject.USER.collectionPath() + "/search", credentials, calls, List.of(email),
                request -> request.uri(baseUrl.resolve(path)).GET()).body().path(ZendeskObject.USER.collection());
        List<JsonNode> active = new ArrayList<>();
        for (JsonNode user : found) {
            if (user.path("active").asBoolean(true)) {
                active.add(user);
            }
        }
        return active;
    }

    private Answer send(String call, Credentials credentials, CallBudget calls, List<String> personal,
                        UnaryOperator<HttpRequest.Builder> specifics) throws VendorHttp.CallFailed {
        String token = VendorHttp.secret(credentials, "apiToken", call);
        String email = VendorHttp.secret(credentials, "email", call);
        String authorization = "Basic " + Base64.getEncoder().encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(call, calls, credentials::redact,
                request -> specifics.apply(request)
                        .header("Authorization", authorization)
                        .header("Accept", "application/json"));
        int status = response.statusCode();
        JsonNode body = parse(response);
        if (status >= 200 && status < 300) {
            return new Answer(status, body);
        }
        if (status == 404 && !"RecordNotFound".equals(body.path("error").asText(""))) {
            throw new VendorHttp.CallFailed(notZendesksRecordNotFound(call, body, response));
        }
        SyncFailure failure = classify(call, status, body, response, personal);
        if (status == 404) {
            throw new RecordNotFound(failure);
        }
        if (status == 422 && nameTaken(body)) {
            throw new NameTaken(failure);
        }
        if (status == 422 && body.path("details").has("external_id")) {
            throw new ExternalIdTaken(failure);
        }
        throw new VendorHttp.CallFailed(failure);
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
        return new SyncFailure.Permanent(ErrorClass.ENDPOINT_NOT_FOUND, call + " → 404 " + answered + ", not RecordNotFound: the request did not reach"
                + " the account's object (check CRM_SYNC_OPTION_SUBDOMAIN / CRM_SYNC_VENDOR_URL and anything in between)");
    }

    private static SyncFailure classify(String call, int status, JsonNode body, HttpResponse<String> response, List<String> personal) {
        String error = body.path("error").isTextual() ? body.path("error").asText() : body.path("error").path("title").asText("");
        String what = call + " → " + status + (error.isEmpty() ? "" : " " + error);
        if (status == 401) {
            return new SyncFailure.Unauthorized(what + ": the API token was refused");
        }
        String reason = what + describe(body, personal);
        if (status == 403) {
            // the token is valid but its user's role may not make this call: no retry gives it another role
            return new SyncFailure.Permanent(ErrorClass.FORBIDDEN, reason + " — the secret's token must belong to an admin, or to an agent whose"
                    + " custom role can manage end users and organizations (Enterprise); give the token's user that role, or put an"
                    + " admin's e-mail and token in the secret, then redrive");
        }
        Optional<Duration> retryAfter = VendorHttp.retryAfter(response);
        if (status == 429) {
            String remaining = response.headers().firstValue("X-Rate-Limit-Remaining").map(r -> " (X-Rate-Limit-Remaining " + r + ")").orElse("");
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

    /**
     * {@code GET organizations/search?name=…}: the organizations with that name (Zendesk's Search
     * Organizations takes {@code external_id} or {@code name},
     * https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations).
     */
    List<JsonNode> organizationsNamed(String name, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        String path = ZendeskObject.ORGANIZATION.collectionPath() + "/search?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        JsonNode found = send("GET " + ZendeskObject.ORGANIZATION.collectionPath() + "/search", credentials, calls, List.of(),
                request -> request.uri(baseUrl.resolve(path)).GET()).body().path(ZendeskObject.ORGANIZATION.collection());
        List<JsonNode> named = new ArrayList<>();
        found.forEach(named::add);
        return named;
    }

    /**
     * {@code GET users/{id}/identities}: the user's e-mail identities ({@code value}, {@code primary}),
     * List Identities, https://developer.zendesk.com/api-reference/ticketing/users/user_identities/#list-identities.
     * A user has a handful, within the first page.
     */
    List<JsonNode> emailIdentities(String userId, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        String path = identitiesPath(userId);
        JsonNode found = send("GET " + path, credentials, calls, List.of(), request -> request.uri(baseUrl.resolve(path)).GET())
                .body().path("identities");
        List<JsonNode> emails = new ArrayList<>();
        for (JsonNode identity : found) {
            if ("email".equals(identity.path("type").asText())) {
                emails.add(identity);
            }
        }
        return emails;
    }

    /**
     * {@code POST users/{id}/identities} of an e-mail address, without a verification e-mail
     * (Create Identity: "To create an identity without sending out a verification email, include a
     * {@code "skip_verify_email": true} property"): the new identity, secondary and unverified.
     */
    JsonNode addEmailIdentity(String userId, String email, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("identity").put("type", "email").put("value", email).put("skip_verify_email", true);
        return post(identitiesPath(userId), body, credentials, calls, List.of(email)).body().path("identity");
    }

    /** {@code PUT users/{id}/identities/{identity_id}/make_primary} (Make Identity Primary). */
    void makePrimary(String userId, String identityId, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        put(identitiesPath(userId) + "/" + identityId + "/make_primary", mapper.createObjectNode(), credentials, calls, List.of());
    }

    /** {@code DELETE users/{id}/identities/{identity_id}} (Delete Identity, 204); one already gone is the state wanted. */
    void deleteIdentity(String userId, String identityId, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        try {
            delete(identitiesPath(userId) + "/" + identityId, credentials, calls);
        } catch (RecordNotFound goneMeanwhile) {
            // the state we want
        }
    }

    /**
     * {@code GET deleted_users/{id}} (Show Deleted User: "Returns users that have been deleted but
     * not permanently yet"): whether the user is soft-deleted; false when it is active or gone.
     */
    boolean isSoftDeleted(String userId, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        String path = "api/v2/deleted_users/" + userId;
        try {
            send("GET " + path, credentials, calls, List.of(), request -> request.uri(baseUrl.resolve(path)).GET());
            return true;
        } catch (RecordNotFound notDeleted) {
            return false;
        }
    }

    /**
     * {@code DELETE deleted_users/{id}} (Permanently Delete User; "Before permanently deleting a
     * user, you must delete the user first"); one already gone is the state wanted.
     */
    void permanentlyDeleteUser(String userId, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        try {
            delete("api/v2/deleted_users/" + userId, credentials, calls);
        } catch (RecordNotFound goneMeanwhile) {
            // the state we want
        }
    }

    private static String identitiesPath(String userId) {
        return ZendeskObject.USER.path(userId) + "/identities";
    }

    /** Only a JSON body is read: a 429 or 503 may answer in plain text. */
    private JsonNode parse(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        return type.toLowerCase(Locale.ROOT).contains("json") ? http.json(response.body()) : mapper.createObjectNode();
    }
}
