package dev.crmsync.testkit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Serves EventBridge's {@code PutEvents} in its JSON protocol ({@code X-Amz-Target: AWSEvents.PutEvents},
 * {@code application/x-amz-json-1.1}) on loopback, so the SDK client under test sends real requests:
 * no embedded EventBridge exists. It keeps every call it received, answering like EventBridge — at most
 * ten entries per call, an entry without source, detail-type or a JSON-object detail refused — or, per
 * bus, as a test tells it to: a 500, every entry failed ({@code FailedEntryCount}), or late.
 * Started once per test JVM; tests use a bus name of their own.
 */
public final class LocalEventBridge implements AutoCloseable {
    private static final String TRANSFORMER = "put-events";
    private static final String TARGET = "AWSEvents.PutEvents";
    private static final String JSON_1_1 = "application/x-amz-json-1.1";
    private static final int ENTRIES_LIMIT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalEventBridge shared;

    /** How the endpoint answers the PutEvents calls on one bus. */
    public enum Answer {
        /** As EventBridge does: every well-formed entry accepted. */
        ACCEPT,
        /** HTTP 500, {@code InternalException}, for the whole call (the SDK retries it). */
        SERVER_ERROR,
        /** HTTP 200 with every entry failed ({@code InternalFailure}) and {@code FailedEntryCount} set. */
        FAIL_ENTRIES
    }

    /** One entry of a PutEvents call, as received. */
    public record Entry(String eventBusName, String source, String detailType, JsonNode detail, Instant time) {}

    /** One PutEvents call: its entries, in order. */
    public record Call(List<Entry> entries) {}

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final WireMockServer server;

    private LocalEventBridge() {
        server = new WireMockServer(
                wireMockConfig().bindAddress("127.0.0.1").dynamicPort().extensions(new PutEvents()));
    }

    /** The endpoint of this test JVM, started on first use and stopped at exit. */
    public static synchronized LocalEventBridge shared() {
        if (shared == null) {
            LocalEventBridge started = new LocalEventBridge();
            started.server.start();
            started.server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(TRANSFORMER)));
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "local-eventbridge-stop"));
            shared = started;
        }
        return shared;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** How calls whose entries are on {@code bus} are answered from now on. */
    public LocalEventBridge answer(String bus, Answer answer) {
        answers.put(bus, answer);
        return this;
    }

    /** Answers calls on {@code bus} only after {@code delay}. */
    public LocalEventBridge delay(String bus, Duration delay) {
        delays.put(bus, delay);
        return this;
    }

    /** The PutEvents calls received for {@code bus} (whatever they were answered), in order. */
    public List<Call> calls(String bus) {
        return calls.stream()
                .filter(call -> call.entries().stream().anyMatch(e -> bus.equals(e.eventBusName())))
                .toList();
    }

    /** Every entry received for {@code bus}, in order. */
    public List<Entry> entries(String bus) {
        return calls(bus).stream()
                .flatMap(call -> call.entries().stream())
                .filter(e -> bus.equals(e.eventBusName()))
                .toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class PutEvents implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return TRANSFORMER;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            if (!TARGET.equals(event.getRequest().getHeader("X-Amz-Target"))) {
                return error(400, "UnknownOperationException", "this endpoint serves " + TARGET + " only");
            }
            JsonNode request;
            try {
                request = JSON.readTree(new String(event.getRequest().getBody(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                return error(400, "SerializationException", "request body is not JSON");
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode entry : request.path("Entries")) {
                entries.add(new Entry(
                        text(entry, "EventBusName"),
                        text(entry, "Source"),
                        text(entry, "DetailType"),
                        detail(entry),
                        entry.has("Time")
                                ? Instant.ofEpochMilli((long) (entry.get("Time").asDouble() * 1000))
                                : null));
            }
            calls.add(new Call(List.copyOf(entries)));
            if (entries.isEmpty() || entries.size() > ENTRIES_LIMIT) {
                return error(
                        400,
                        "ValidationException",
                        "1 validation error detected: Value at 'entries' failed to satisfy"
                                + " constraint: Member must have length less than or equal to " + ENTRIES_LIMIT
                                + " and greater than or equal to 1");
            }
            String bus = entries.getFirst().eventBusName();
            Duration delay = bus == null ? Duration.ZERO : delays.getOrDefault(bus, Duration.ZERO);
            Answer answer = bus == null ? Answer.ACCEPT : answers.getOrDefault(bus, Answer.ACCEPT);
            if (answer == Answer.SERVER_ERROR) {
                return delayed(error(500, "InternalException", "An internal error occurred"), delay);
            }
            ObjectNode body = JSON.createObjectNode();
            ArrayNode results = body.putArray("Entries");
            int failed = 0;
            for (Entry entry : entries) {
                ObjectNode result = results.addObject();
                if (answer == Answer.FAIL_ENTRIES) {
                    result.put("ErrorCode", "InternalFailure").put("ErrorMessage", "Internal service error.");
                    failed++;
                } else if (entry.source() == null || entry.detailType() == null || entry.detail() == null) {
                    result.put("ErrorCode", "MalformedDetail").put("ErrorMessage", "Detail is malformed.");
                    failed++;
                } else {
                    result.put("EventId", UUID.randomUUID().toString());
                }
            }
            body.put("FailedEntryCount", failed);
            return delayed(
                    aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", JSON_1_1)
                            .withBody(body.toString())
                            .build(),
                    delay);
        }

        private static ResponseDefinition delayed(ResponseDefinition response, Duration delay) {
            return delay.isZero()
                    ? response
                    : com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.like(response)
                            .withFixedDelay((int) delay.toMillis())
                            .build();
        }

        private static ResponseDefinition error(int status, String type, String message) {
            return aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", JSON_1_1)
                    .withBody(JSON.createObjectNode()
                            .put("__type", type)
                            .put("message", message)
                            .toString())
                    .build();
        }

        private static String text(JsonNode entry, String field) {
            JsonNode value = entry.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }

        /** The entry's Detail as a JSON object, or null when it is not one. */
        private static JsonNode detail(JsonNode entry) {
            try {
                JsonNode detail = JSON.readTree(entry.path("Detail").asText(""));
                return detail != null && detail.isObject() ? detail : null;
            } catch (JsonProcessingException e) {
                return null;
            }
        }
    }
}
