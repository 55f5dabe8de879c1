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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Zendesk Support's wire format: JSON bodies, API-token auth ({@code Basic
 * base64("{email}/token:{api_token}")}), and errors read from Zendesk's body ({@code error},
 * {@code description}, {@code details} per field), not from the status code alone
 * ({@link ZendeskErrors}). A 429 or 503 body may be plain text; only its {@code Retry-After}
 * header matters then.
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

    /** A successful answer: its status (201 created, 200 updated, 204 deleted) and body (empty object when none). */
    record Answer(int status, JsonNode body) {}

    Answer post(String path, JsonNode body, Credentials credentials, CallBudget calls, List<String> personal)
            throws VendorHttp.CallFailed {
        return sendJson("POST", path, body, credentials, calls, personal);
    }

    Answer put(String path, JsonNode body, Credentials credentials, CallBudget calls, List<String> personal)
            throws VendorHttp.CallFailed {
        return sendJson("PUT", path, body, credentials, calls, personal);
    }

    private Answer sendJson(
            String method, String path, JsonNode body, Credentials credentials, CallBudget calls, List<String> personal)
            throws VendorHttp.CallFailed {
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new VendorHttp.CallFailed(new SyncFailure.Permanent(
                    ErrorClass.REQUEST_UNSENDABLE, method + " " + path + " not sent: " + e.getOriginalMessage()));
        }
        return send(
                method + " " + path,
                credentials,
                calls,
                personal,
                request -> request.uri(baseUrl.resolve(path))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code GET api/v2/<collection>/<id>}: the object, or empty after a {@code RecordNotFound}. */
    Optional<JsonNode> show(ZendeskObject kind, String id, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        String path = kind.path(id);
        try {
            return Optional.of(send(
                            "GET " + path,
                            credentials,
                            calls,
                            List.of(),
                            request -> request.uri(baseUrl.resolve(path)).GET())
                    .body()
                    .path(kind.key()));
        } catch (ZendeskErrors.RecordNotFound gone) {
            return Optional.empty();
        }
    }

    Answer delete(String path, Credentials credentials, CallBudget calls) throws VendorHttp.CallFailed {
        return send(
                "DELETE " + path,
                credentials,
                calls,
                List.of(),
                request -> request.uri(baseUrl.resolve(path)).DELETE());
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
        String path =
                kind.collectionPath() + "/search?external_id=" + URLEncoder.encode(externalId, StandardCharsets.UTF_8);
        JsonNode found = send(
                        "GET " + kind.collectionPath() + "/search",
                        credentials,
                        calls,
                        List.of(),
                        request -> request.uri(baseUrl.resolve(path)).GET())
                .body()
                .path(kind.collection());
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode object : found) {
            if (externalId.equals(object.path("external_id").asText(null))
                    && object.path("active").asBoolean(true)) {
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
    List<JsonNode> usersWithEmail(String email, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        String path = ZendeskObject.USER.collectionPath() + "/search?query="
                + URLEncoder.encode("email:\"" + email + "\"", StandardCharsets.UTF_8);
        JsonNode found = send(
                        "GET " + ZendeskObject.USER.collectionPath() + "/search",
                        credentials,
                        calls,
                        List.of(email),
                        request -> request.uri(baseUrl.resolve(path)).GET())
                .body()
                .path(ZendeskObject.USER.collection());
        List<JsonNode> active = new ArrayList<>();
        for (JsonNode user : found) {
            if (user.path("active").asBoolean(true)) {
                active.add(user);
            }
        }
        return active;
    }

    private Answer send(
            String call,
            Credentials credentials,
            CallBudget calls,
            List<String> personal,
            UnaryOperator<HttpRequest.Builder> specifics)
            throws VendorHttp.CallFailed {
        String token = VendorHttp.secret(credentials, "apiToken", call);
        String email = VendorHttp.secret(credentials, "email", call);
        String authorization = "Basic "
                + Base64.getEncoder().encodeToString((email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(
                call,
                calls,
                credentials::redact,
                request -> specifics
                        .apply(request)
                        .header("Authorization", authorization)
                        .header("Accept", "application/json"));
        int status = response.statusCode();
        JsonNode body = parse(response);
        if (status >= 200 && status < 300) {
            return new Answer(status, body);
        }
        throw ZendeskErrors.failed(call, status, body, response, personal);
    }

    /**
     * {@code GET organizations/search?name=…}: the organizations with that name (Zendesk's Search
     * Organizations takes {@code external_id} or {@code name},
     * https://developer.zendesk.com/api-reference/ticketing/organizations/organizations/#search-organizations).
     */
    List<JsonNode> organizationsNamed(String name, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        String path = ZendeskObject.ORGANIZATION.collectionPath() + "/search?name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8);
        JsonNode found = send(
                        "GET " + ZendeskObject.ORGANIZATION.collectionPath() + "/search",
                        credentials,
                        calls,
                        List.of(),
                        request -> request.uri(baseUrl.resolve(path)).GET())
                .body()
                .path(ZendeskObject.ORGANIZATION.collection());
        List<JsonNode> named = new ArrayList<>();
        found.forEach(named::add);
        return named;
    }

    /**
     * {@code GET users/{id}/identities}: the user's e-mail identities ({@code value}, {@code primary}),
     * List Identities, https://developer.zendesk.com/api-reference/ticketing/users/user_identities/#list-identities.
     * A user has a handful, within the first page.
     */
    List<JsonNode> emailIdentities(String userId, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        String path = identitiesPath(userId);
        JsonNode found = send(
                        "GET " + path,
                        credentials,
                        calls,
                        List.of(),
                        request -> request.uri(baseUrl.resolve(path)).GET())
                .body()
                .path("identities");
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
    JsonNode addEmailIdentity(String userId, String email, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("identity").put("type", "email").put("value", email).put("skip_verify_email", true);
        return post(identitiesPath(userId), body, credentials, calls, List.of(email))
                .body()
                .path("identity");
    }

    /** {@code PUT users/{id}/identities/{identity_id}/make_primary} (Make Identity Primary). */
    void makePrimary(String userId, String identityId, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        put(
                identitiesPath(userId) + "/" + identityId + "/make_primary",
                mapper.createObjectNode(),
                credentials,
                calls,
                List.of());
    }

    /**
     * {@code DELETE users/{id}/identities/{identity_id}} (Delete Identity, 204); one already gone is the state wanted.
     */
    void deleteIdentity(String userId, String identityId, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        try {
            delete(identitiesPath(userId) + "/" + identityId, credentials, calls);
        } catch (ZendeskErrors.RecordNotFound goneMeanwhile) {
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
            send(
                    "GET " + path,
                    credentials,
                    calls,
                    List.of(),
                    request -> request.uri(baseUrl.resolve(path)).GET());
            return true;
        } catch (ZendeskErrors.RecordNotFound notDeleted) {
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
        } catch (ZendeskErrors.RecordNotFound goneMeanwhile) {
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
