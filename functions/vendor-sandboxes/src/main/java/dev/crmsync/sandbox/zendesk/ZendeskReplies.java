package dev.crmsync.sandbox.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Zendesk's answers: its error shape {@code {"error", "description", "details": {field:
 * [{description}]}}}, a search's page of objects, and the small JSON helpers the endpoints share.
 */
final class ZendeskReplies {
    /** The package's one mapper. */
    static final ObjectMapper JSON = new ObjectMapper();
    /** What Zendesk takes for an e-mail address: one @, a domain with a dot. */
    static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s.]+$");

    private ZendeskReplies() {}

    /** {@link ZendeskSandbox#errorReply}: Zendesk's answer for an error of the shared part. */
    static SandboxReply errorReply(SandboxError error) {
        return switch (error) {
            case SandboxError.Failure(int status, String cause) ->
                error(
                        status,
                        status >= 500 ? "InternalError" : "Error",
                        cause == null ? "Something went wrong" : cause);
            case SandboxError.RateLimited(int seconds) ->
                SandboxReply.of(
                                429,
                                "text/plain; charset=utf-8",
                                ("Rate limit exceeded. Retry after " + seconds + " seconds.")
                                        .getBytes(StandardCharsets.UTF_8))
                        .withHeader("Retry-After", Integer.toString(seconds));
            case SandboxError.Rejected(int status, String name, String message) -> error(status, name, message);
            // Zendesk answers a refused token with a bare error string
            case SandboxError.Unauthorized(String key) ->
                SandboxReply.json(401, JSON.createObjectNode().put("error", "Couldn't authenticate you"));
        };
    }

    /** The request body's {@code {"<key>": {…}}} object; without it, 400 {@code InvalidRequest}. */
    static JsonNode given(SandboxRequest request, String key) {
        JsonNode given = request.json() == null ? null : request.json().get(key);
        if (given == null || !given.isObject()) {
            throw new Rejection(400, "InvalidRequest", key + " parameter is missing");
        }
        return given;
    }

    /** A missing object: 404 {@code RecordNotFound}. */
    static Rejection notFound() {
        return new Rejection(404, "RecordNotFound", "Not found");
    }

    /** {@code {"<key>": object}} with {@code status}: how Zendesk answers for one object. */
    static SandboxReply one(int status, String key, ObjectNode object) {
        return SandboxReply.json(status, JSON.createObjectNode().set(key, object));
    }

    /** A search's answer: {@code {"<kind>": [copies…], "count", "next_page": null, "previous_page": null}}. */
    static SandboxReply page(String kind, Stream<ObjectNode> found) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray(kind);
        found.forEach(o -> list.add(o.deepCopy()));
        body.put("count", list.size()).putNull("next_page").putNull("previous_page");
        return SandboxReply.json(200, body);
    }

    /** A search term the search needs: without it, 400 {@code InvalidSearch}. */
    static void requiredSearchTerm(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new Rejection(400, "InvalidSearch", name + " is required");
        }
    }

    /** 204 with no body: a delete done. */
    static SandboxReply noContent() {
        return SandboxReply.of(204, "application/json", new byte[0]);
    }

    static SandboxReply recordInvalid(String field, String description) {
        ObjectNode body =
                JSON.createObjectNode().put("error", "RecordInvalid").put("description", "Record validation errors");
        ArrayNode problems = body.putObject("details").putArray(field);
        problems.addObject().put("description", description).put("error", "InvalidValue");
        return SandboxReply.json(422, body);
    }

    private static SandboxReply error(int status, String name, String description) {
        ObjectNode body = JSON.createObjectNode().put("error", name);
        if (description != null) {
            body.put("description", description);
        }
        return SandboxReply.json(status, body);
    }

    static void copyFields(JsonNode given, ObjectNode object) {
        given.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("id")) {
                object.set(field.getKey(), field.getValue().deepCopy());
            }
        });
    }

    static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
