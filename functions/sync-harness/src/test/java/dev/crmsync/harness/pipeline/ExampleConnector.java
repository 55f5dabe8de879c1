package dev.crmsync.harness.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The smallest connector of sync-core's connector API, for the tests of the pipeline itself:
 * {@code account.upserted} is a record (PUT /records/{id}) and {@code deal.closed} an action that
 * needs its account (PUT /orders/{deal}) on the example vendor (ExampleSandbox). Its failures are
 * classified as every connector's are: 401 unauthorized, 429 rate_limited, 5xx vendor_5xx, another
 * 4xx vendor_rejected.
 */
final class ExampleConnector implements Connector {
    static final String INTEGRATION = "example";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final VendorHttp http;

    ExampleConnector(ConnectorSettings settings) {
        this.baseUrl = settings.vendorUrlOr("https://api.example.invalid/");
        this.http = new VendorHttp(settings.httpClient(), JSON);
    }

    @Override
    public String integration() {
        return INTEGRATION;
    }

    @Override
    public Operation plan(CrmEvent event) {
        return switch (event.detailType()) {
            case "account.upserted" -> new Operation.SyncRecord("account", event.recordId());
            case "deal.closed" ->
                new Operation.Action(
                        "order",
                        event.recordId(),
                        Map.of("amount", event.field("amount").asText()));
            default ->
                new Operation.Unsupported(
                        "example handles account.upserted and deal.closed, not " + event.detailType());
        };
    }

    @Override
    public List<RecordRef> dependencies(CrmEvent event) {
        String accountId = event.text("accountId");
        return event.detailType().equals("deal.closed") && accountId != null
                ? List.of(new RecordRef("account", accountId))
                : List.of();
    }

    @Override
    public SyncResult apply(SyncRequest request) {
        try {
            return switch (request.operation()) {
                case Operation.SyncRecord record -> putRecord(request, record);
                case Operation.Action action -> placeOrder(request, action);
                case Operation.Unsupported unsupported -> SyncResult.permanent("unsupported", unsupported.reason());
            };
        } catch (VendorHttp.CallFailed e) {
            return new SyncResult.Failed(e.failure());
        }
    }

    private SyncResult putRecord(SyncRequest request, Operation.SyncRecord record) throws VendorHttp.CallFailed {
        ObjectNode body = JSON.createObjectNode()
                .put("version", request.event().version())
                .put("name", request.event().text("name"));
        JsonNode stored = put("records/" + record.recordId(), body, request.credentials(), request.calls());
        return new SyncResult.Applied(stored.path("id").asText());
    }

    private SyncResult placeOrder(SyncRequest request, Operation.Action order) throws VendorHttp.CallFailed {
        String accountId = request.event().text("accountId");
        Optional<String> record = request.dependency("account", accountId);
        if (record.isEmpty()) {
            return SyncResult.retryable(
                    "dependency_missing", "account " + accountId + " is not at the example vendor yet");
        }
        ObjectNode body = JSON.createObjectNode()
                .put("record", record.get())
                .put("amount", request.actionTerms().get("amount"));
        JsonNode placed = put("orders/" + order.businessKey(), body, request.credentials(), request.calls());
        return new SyncResult.Applied(placed.path("id").asText());
    }

    private JsonNode put(String path, JsonNode body, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        String call = "PUT " + path;
        String apiKey = VendorHttp.secret(credentials, "apiKey", call);
        HttpResponse<String> response = http.send(
                call,
                calls,
                credentials::redact,
                request -> request.uri(baseUrl.resolve(path))
                        .header("Authorization", "Bearer " + apiKey)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
        int status = response.statusCode();
        JsonNode answer = http.json(response.body());
        if (status >= 200 && status < 300) {
            return answer;
        }
        String reason = call + " → " + status + " " + answer.path("error").asText("") + ": "
                + answer.path("message").asText("");
        throw new VendorHttp.CallFailed(classify(status, reason, response));
    }

    private static SyncFailure classify(int status, String reason, HttpResponse<String> response) {
        if (status == 401) {
            return new SyncFailure.Unauthorized(reason);
        }
        if (status == 429) {
            return new SyncFailure.Retryable("rate_limited", reason, VendorHttp.retryAfter(response));
        }
        if (status >= 500) {
            return new SyncFailure.Retryable("vendor_5xx", reason, VendorHttp.retryAfter(response));
        }
        return new SyncFailure.Permanent("vendor_rejected", reason);
    }
}
