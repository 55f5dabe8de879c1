package dev.crmsync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared part of every vendor sandbox, on the smallest vendor there is: {@link NotesSandbox}, a
 * JSON API with Basic auth and problem+json errors. Over real HTTP with the JDK client; no AWS.
 */
class VendorSandboxTest {

    private static final String KEY = "notes-key-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static NotesSandbox notes;

    /** A vendor with one endpoint, {@code POST /notes}, written as the README tells a new sandbox to be. */
    static final class NotesSandbox extends VendorSandbox<NotesSandbox> {
        final List<String> saved = new ArrayList<>(); // guarded by itself

        private NotesSandbox() {
            super("notes");
        }

        static NotesSandbox start() {
            return new NotesSandbox().startServer();
        }

        @Override
        protected ApiKeyScheme apiKeyScheme() {
            return ApiKeyScheme.basicPassword();
        }

        @Override
        protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
            return switch (error) {
                case SandboxError.Failure(int status, String cause) -> problem(status, "Server Error", cause);
                case SandboxError.RateLimited(int seconds) ->
                    problem(429, "Too Many Requests", null).withHeader("Retry-After", Integer.toString(seconds));
                case SandboxError.Rejected(int status, String title, String detail) -> problem(status, title, detail);
                case SandboxError.Unauthorized(String key) ->
                    problem(401, "API Key Invalid", key == null ? "no key" : "wrong key");
            };
        }

        @Override
        protected SandboxReply route(SandboxRequest request) {
            if (!request.method().equals("POST") || !request.path().equals("/notes")) {
                throw new Rejection(404, "Resource Not Found", request.method() + " " + request.path());
            }
            if (request.malformed() != null) {
                throw new Rejection(400, "Invalid Resource", request.malformed());
            }
            if (request.json() == null || !request.json().hasNonNull("text")) {
                throw new Rejection(400, "Invalid Resource", "text is required");
            }
            if (request.json().get("text").asText().equals("boom")) {
                throw new IllegalStateException("a bug in the sandbox");
            }
            synchronized (saved) {
                saved.add(request.json().get("text").asText());
            }
            return SandboxReply.json(201, JSON.createObjectNode().put("id", "n_" + request.id()));
        }

        @Override
        protected void resetState() {
            synchronized (saved) {
                saved.clear();
            }
        }

        List<String> saved() {
            synchronized (saved) {
                return List.copyOf(saved);
            }
        }

        private static SandboxReply problem(int status, String title, String detail) {
            ObjectNode body = JSON.createObjectNode().put("status", status).put("title", title);
            if (detail != null) {
                body.put("detail", detail);
            }
            return SandboxReply.json(status, body).withHeader("Content-Type", "application/problem+json");
        }
    }

    @BeforeAll
    static void startSandbox() {
        notes = NotesSandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        notes.close();
    }

    @BeforeEach
    void resetSandbox() {
        notes.reset();
        notes.acceptApiKeys(KEY);
    }

    @Test
    void anAcceptedKeyReachesTheEndpointAndTheCallIsLoggedWithoutItsCredentials() throws Exception {
        HttpResponse<String> r = post("/notes?draft=true", "{\"text\":\"hello\"}", KEY);

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(notes.saved()).containsExactly("hello");
        assertThat(notes.calls()).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("POST");
            assertThat(c.path()).isEqualTo("/notes");
            assertThat(c.query()).isEqualTo("draft=true");
            assertThat(c.params()).containsExactly(Map.entry("draft", "true"));
            assertThat(c.body().get("text").asText()).isEqualTo("hello");
            assertThat(c.header("content-type")).isEqualTo("application/json");
            assertThat(c.header("Authorization")).isNull();
            assertThat(c.status()).isEqualTo(201);
            assertThat(c.replayed()).isFalse();
        });
    }

    @Test
    void aMissingWrongOrRevokedKeyIsRefusedInTheVendorsShape() throws Exception {
        HttpResponse<String> none = send(request("/notes", "{\"text\":\"a\"}", null));
        HttpResponse<String> wrong = post("/notes", "{\"text\":\"a\"}", "other-key");
        notes.revokeApiKeys(KEY);
        HttpResponse<String> revoked = post("/notes", "{\"text\":\"a\"}", KEY);

        assertThat(List.of(none, wrong, revoked))
                .extracting(HttpResponse::statusCode)
                .containsOnly(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(body(none).get("detail").asText()).isEqualTo("no key");
        assertThat(body(wrong).get("detail").asText()).isEqualTo("wrong key");
        assertThat(notes.saved()).isEmpty();
    }

    @Test
    void edgeFaultsAreRenderedByTheVendorAndRunNothing() throws Exception {
        notes.failNext("POST", "/notes", 1, 503)
                .rateLimitNext("*", "/no.*", 1, 7)
                .rejectNext("post", "/notes", 1, 400, "Member In Compliance State", "cannot re-subscribe");

        HttpResponse<String> failed = post("/notes", "{\"text\":\"a\"}", "not-even-a-key");
        HttpResponse<String> limited = post("/notes", "{\"text\":\"a\"}", KEY);
        HttpResponse<String> rejected = post("/notes", "{\"text\":\"a\"}", KEY);
        HttpResponse<String> ok = post("/notes", "{\"text\":\"a\"}", KEY);

        assertThat(failed.statusCode()).isEqualTo(503);
        assertThat(body(failed).get("title").asText()).isEqualTo("Server Error");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(body(rejected).get("title").asText()).isEqualTo("Member In Compliance State");
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(notes.saved()).containsExactly("a");
        assertThat(notes.calls("POST", "/notes"))
                .extracting(RecordedCall::status)
                .containsExactly(503, 429, 400, 201);
    }

    @Test
    void aResetConnectionIsLoggedWithStatusZero() throws Exception {
        notes.resetConnectionNext("POST", "/notes", 1);

        assertThatThrownBy(() -> post("/notes", "{\"text\":\"a\"}", KEY)).isInstanceOf(IOException.class);
        assertThat(post("/notes", "{\"text\":\"a\"}", KEY).statusCode()).isEqualTo(201);
        assertThat(notes.calls()).extracting(RecordedCall::status).containsExactly(0, 201);
        assertThat(notes.saved()).containsExactly("a");
    }

    @Test
    void failuresInsideTheEndpointHappenBeforeOrAfterTheWork() throws Exception {
        notes.failAfterStartNext("POST", "/notes", 1, 500).failAfterWorkNext("POST", "/notes", 1, 502);

        assertThat(post("/notes", "{\"text\":\"first\"}", KEY).statusCode()).isEqualTo(500);
        assertThat(post("/notes", "{\"text\":\"second\"}", KEY).statusCode()).isEqualTo(502);

        assertThat(notes.saved()).containsExactly("second");
    }

    @Test
    void aDelayedAnswerIsExecutedAtOnceAndSentLate() throws Exception {
        notes.delayNext("POST", "/notes", 1, Duration.ofMillis(1500));

        HttpRequest slow = request("/notes", "{\"text\":\"a\"}", KEY)
                .timeout(Duration.ofMillis(300))
                .build();
        assertThatThrownBy(() -> HTTP.send(slow, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(notes.saved()).containsExactly("a");
    }

    @Test
    void latencySlowsEveryAnswerUntilTurnedOff() throws Exception {
        notes.setLatency(Duration.ofMillis(300));
        long start = System.nanoTime();
        post("/notes", "{\"text\":\"a\"}", KEY);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        notes.reset();
        notes.acceptApiKeys(KEY);
        start = System.nanoTime();
        post("/notes", "{\"text\":\"a\"}", KEY);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
    }

    @Test
    void refusalsFromTheEndpointAndSandboxBugsAreRenderedByTheVendor() throws Exception {
        HttpResponse<String> missing = send(request("/elsewhere", "{}", KEY));
        HttpResponse<String> invalid = post("/notes", "{\"note\":\"a\"}", KEY);
        HttpResponse<String> broken = post("/notes", "{\"text\":\"boom\"}", KEY);
        HttpResponse<String> malformed = post("/notes", "{not json", KEY);

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(body(missing).get("title").asText()).isEqualTo("Resource Not Found");
        assertThat(body(invalid).get("detail").asText()).isEqualTo("text is required");
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(body(broken).get("detail").asText()).contains("a bug in the sandbox");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(notes.calls())
                .extracting(RecordedCall::path, RecordedCall::status)
                .containsExactly(
                        tuple("/elsewhere", 404), tuple("/notes", 400), tuple("/notes", 500), tuple("/notes", 400));
        assertThat(notes.calls().get(3).body()).isNull();
    }

    @Test
    void resetForgetsTheLogTheFaultsAndTheKeys() throws Exception {
        notes.failNext("*", ".*", 5, 500);
        post("/notes", "{\"text\":\"a\"}", KEY);

        notes.reset();

        assertThat(notes.calls()).isEmpty();
        assertThat(post("/notes", "{\"text\":\"a\"}", KEY).statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> post(String path, String json, String key) throws Exception {
        return send(request(path, json, key));
    }

    private static HttpRequest.Builder request(String path, String json, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(notes.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            String basic = Base64.getEncoder().encodeToString(("anystring:" + key).getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + basic);
        }
        return b;
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }
}
