package dev.crmsync.sandbox.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The smallest vendor a connector can sync to, for the tests of the pipeline itself: two documented
 * endpoints of its own and the faults every sandbox injects ({@link VendorSandbox}).
 *
 * <ul>
 *   <li>{@code PUT /records/{id}} with {@code {"version": n, …fields}} stores the record under the
 *       caller's id and answers 200 with it; a version older than the stored one is refused with
 *       409 {@code version_conflict} (the vendor's own guard against reordered writes). Writing
 *       the same version again is allowed: a PUT is idempotent.
 *   <li>{@code PUT /orders/{key}} with {@code {"record": id, "amount": "…"}} places one order per
 *       key: 201 the first time, 200 with the same order (and {@code "replayed": true} in the log)
 *       after; 404 {@code record_missing} when the record was never stored.
 *   <li>Errors are {@code {"error": code, "message": text}} with the status; a rate limit is 429
 *       with {@code Retry-After} in seconds. Bearer auth.
 * </ul>
 */
public final class ExampleSandbox extends VendorSandbox<ExampleSandbox> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RECORD = Pattern.compile("/records/([^/]+)");
    private static final Pattern ORDER = Pattern.compile("/orders/([^/]+)");

    private final Object lock = new Object();
    private final Map<String, ObjectNode> records = new LinkedHashMap<>(); // guarded by lock
    private final Map<String, ObjectNode> orders = new LinkedHashMap<>(); // guarded by lock

    private ExampleSandbox() {
        super("example");
    }

    /** The sandbox of this test JVM, started on first use. */
    public static ExampleSandbox shared() {
        return shared(ExampleSandbox.class, ExampleSandbox::start);
    }

    public static ExampleSandbox start() {
        return new ExampleSandbox().startServer();
    }

    // ---------------------------------------------------------------- views for tests

    /** The stored records, in the order they were first written. */
    public List<JsonNode> records() {
        synchronized (lock) {
            return records.values().stream().map(r -> (JsonNode) r.deepCopy()).toList();
        }
    }

    public Optional<JsonNode> record(String id) {
        synchronized (lock) {
            return Optional.ofNullable(records.get(id)).map(ObjectNode::deepCopy);
        }
    }

    /** The placed orders, in the order they were placed. */
    public List<JsonNode> orders() {
        synchronized (lock) {
            return orders.values().stream().map(o -> (JsonNode) o.deepCopy()).toList();
        }
    }

    // ---------------------------------------------------------------- the API

    @Override
    protected ApiKeyScheme apiKeyScheme() {
        return ApiKeyScheme.bearer();
    }

    @Override
    protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
        return switch (error) {
            case SandboxError.Failure(int status, String cause) ->
                error(status, status >= 500 ? "server_error" : "error", cause == null ? "Something went wrong" : cause);
            case SandboxError.RateLimited(int seconds) ->
                error(429, "rate_limited", "Too many requests").withHeader("Retry-After", Integer.toString(seconds));
            case SandboxError.Rejected(int status, String code, String message) -> error(status, code, message);
            case SandboxError.Unauthorized unauthorized -> error(401, "unauthorized", "Invalid API key");
        };
    }

    @Override
    protected SandboxReply route(SandboxRequest request) {
        if (request.method().equals("PUT")) {
            Matcher record = RECORD.matcher(request.path());
            if (record.matches()) {
                return putRecord(record.group(1), request.json());
            }
            Matcher order = ORDER.matcher(request.path());
            if (order.matches()) {
                return putOrder(order.group(1), request.json());
            }
        }
        if (request.method().equals("GET")) {
            Matcher record = RECORD.matcher(request.path());
            if (record.matches()) {
                return record(record.group(1))
                        .map(r -> SandboxReply.json(200, r))
                        .orElseGet(() -> error(404, "record_missing", "No record " + record.group(1)));
            }
        }
        return error(404, "not_found", "No endpoint " + request.method() + " " + request.path());
    }

    @Override
    protected void resetState() {
        synchronized (lock) {
            records.clear();
            orders.clear();
        }
    }

    private SandboxReply putRecord(String id, JsonNode body) {
        if (body == null || !body.path("version").canConvertToLong()) {
            throw new Rejection(400, "invalid_request", "version is required");
        }
        long version = body.path("version").asLong();
        synchronized (lock) {
            ObjectNode stored = records.get(id);
            if (stored != null && stored.path("version").asLong() > version) {
                throw new Rejection(
                        409,
                        "version_conflict",
                        "version " + version + " is older than the stored version "
                                + stored.path("version").asLong());
            }
            ObjectNode written = ((ObjectNode) body).deepCopy().put("id", id);
            records.put(id, written);
            return SandboxReply.json(200, written);
        }
    }

    private SandboxReply putOrder(String key, JsonNode body) {
        String recordId = body == null ? "" : body.path("record").asText("");
        synchronized (lock) {
            ObjectNode placed = orders.get(key);
            if (placed != null) {
                return SandboxReply.json(200, placed).asReplay();
            }
            if (!records.containsKey(recordId)) {
                throw new Rejection(404, "record_missing", "No record " + recordId);
            }
            ObjectNode order = JSON.createObjectNode()
                    .put("id", "ord_" + randomId(12))
                    .put("key", key)
                    .put("record", recordId)
                    .put("amount", body.path("amount").asText(""));
            orders.put(key, order);
            return SandboxReply.json(201, order);
        }
    }

    private static SandboxReply error(int status, String code, String message) {
        return SandboxReply.json(
                status, JSON.createObjectNode().put("error", code).put("message", message));
    }
}
