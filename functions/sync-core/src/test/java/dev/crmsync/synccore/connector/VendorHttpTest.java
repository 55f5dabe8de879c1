package dev.crmsync.synccore.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VendorHttpTest {
    private static final String SECRET = "sk_test_secret42";

    private HttpServer server;
    private URI base;
    private HttpClient client;
    private VendorHttp http;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger okRequests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> {
            okRequests.incrementAndGet();
            byte[] body = "{\"id\":\"cus_1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Retry-After", "7");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        http = new VendorHttp(client, new ObjectMapper());
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        client.close();
    }

    @Test
    void anAnswerIsReturnedWhateverItsStatus() throws VendorHttp.CallFailed {
        HttpResponse<String> response = http.send(
                "GET ok",
                callsOf(Duration.ofSeconds(5)),
                UnaryOperator.identity(),
                request -> request.uri(base.resolve("ok")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(http.json(response.body()).path("id").asText()).isEqualTo("cus_1");
        assertThat(VendorHttp.retryAfter(response)).contains(Duration.ofSeconds(7));
    }

    @Test
    void anUnusableSecretIsARefusedCredentialThatNamesOnlyTheKey() throws VendorHttp.CallFailed {
        Credentials credentials = new Credentials(java.util.Map.of("apiKey", SECRET + "\u200b", "botToken", SECRET));

        assertThat(VendorHttp.secret(credentials, "botToken", "chat.postMessage"))
                .isEqualTo(SECRET);
        assertThatThrownBy(() -> VendorHttp.secret(credentials, "apiKey", "POST v1/customers"))
                .isInstanceOfSatisfying(VendorHttp.CallFailed.class, e -> {
                    assertThat(e.failure()).isInstanceOf(SyncFailure.Unauthorized.class);
                    assertThat(e.failure().reason())
                            .startsWith("POST v1/customers not sent: ")
                            .contains("'apiKey'")
                            .doesNotContain(SECRET);
                });
    }

    @Test
    void noTimeLeftMeansTheCallIsNotStarted() {
        assertThatThrownBy(() -> http.send(
                        "GET ok",
                        new CallBudget(Instant.now().minusSeconds(1), Duration.ofSeconds(5), Clock.systemUTC()),
                        UnaryOperator.identity(),
                        request -> {
                            throw new AssertionError("the request must not be built");
                        }))
                .isInstanceOfSatisfying(VendorHttp.CallFailed.class, e -> {
                    assertThat(e.failure()).isInstanceOf(SyncFailure.Retryable.class);
                    assertThat(e.failure().errorClass()).isEqualTo("deadline");
                    assertThat(e.failure().reason())
                            .isEqualTo("GET ok not started: it could outlive this attempt's lease");
                });
    }

    @Test
    void aCallWhoseDeadlinePassedBeforeItsSendIsNotSent() {
        // the time left is checked, then the thread pauses (a GC, a frozen container) while the
        // request is built: by the send the calls' deadline, inside the lease, has passed
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T10:00:00Z"));
        CallBudget calls = new CallBudget(clock.instant().plusSeconds(3), Duration.ofSeconds(10), clock);

        assertThatThrownBy(() -> http.send("GET ok", calls, UnaryOperator.identity(), request -> {
                    clock.advance(Duration.ofSeconds(5));
                    return request.uri(base.resolve("ok")).GET();
                }))
                .isInstanceOfSatisfying(VendorHttp.CallFailed.class, e -> {
                    assertThat(e.failure()).isInstanceOf(SyncFailure.Retryable.class);
                    assertThat(e.failure().errorClass()).isEqualTo("deadline");
                });
        assertThat(okRequests.get()).isZero();
    }

    @Test
    void aCallsTimeoutEndsAtTheCallDeadlineCountedAtItsSend() {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-01T10:00:00Z"));
        CallBudget calls = new CallBudget(clock.instant().plusSeconds(3), Duration.ofSeconds(10), clock);

        // 3 s were left when the call was asked for, 200 ms when it is sent: it may take 200 ms, not 3 s
        assertThatThrownBy(() -> http.send("GET slow", calls, UnaryOperator.identity(), request -> {
                    clock.advance(Duration.ofMillis(2_800));
                    return request.uri(base.resolve("slow")).GET();
                }))
                .isInstanceOfSatisfying(VendorHttp.CallFailed.class, e -> {
                    assertThat(e.failure().errorClass()).isEqualTo("timeout");
                    assertThat(e.failure().reason()).isEqualTo("GET slow timed out after PT0.2S");
                });
    }

    @Test
    void aHeaderValueTheClientRefusesIsPermanentAndNotQuoted() {
        assertThatThrownBy(() -> http.send(
                        "POST v1/customers",
                        callsOf(Duration.ofSeconds(5)),
                        UnaryOperator.identity(),
                        request -> request.uri(base.resolve("ok"))
                                .header("Authorization", "Bearer " + SECRET + "\n")
                                .GET()))
                .isInstanceOfSatisfying(VendorHttp.CallFailed.class, e -> {
                    assertThat(e.failure()).isInstanceOf(SyncFailure.Permanent.class);
                    assertThat(e.failure().errorClass()).isEqualTo("request_unsendable");
                    assertThat(e.failure().reason())
                            .startsWith("POST v1/customers not sent: ")
                            .doesNotContain(SECRET);
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                });
    }

    @Test
    void aCallThatOutlivesItsTimeoutIsRetryable() {
        assertThatThrownBy(() -> http.send(
                        "GET slow",
                        callsOf(Duration.ofMillis(200)),
                        UnaryOperator.identity(),
                        request -> request.uri(base.resolve("slow")).GET()))
                .isInstanceOfSatisfying(VendorHttp.CallFailed.class, e -> {
                    assertThat(e.failure().errorClass()).isEqualTo("timeout");
                    assertThat(e.failure().reason()).isEqualTo("GET slow timed out after PT0.2S");
                });
    }

    @Test
    void aNetworkErrorIsRetryableAndItsMessageRedacted() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/");
        assertThatThrownBy(() -> http.send(
                        "GET nowhere",
                        callsOf(Duration.ofSeconds(5)),
                        message -> "[redacted]",
                        request -> request.uri(nowhere).GET()))
                .isInstanceOfSatisfying(VendorHttp.CallFailed.class, e -> {
                    assertThat(e.failure()).isInstanceOf(SyncFailure.Retryable.class);
                    assertThat(e.failure().errorClass()).isEqualTo("network");
                    assertThat(e.failure().reason()).startsWith("GET nowhere failed: ");
                });
    }

    /** Calls that may take {@code timeout} each, with a deadline far away. */
    private static CallBudget callsOf(Duration timeout) {
        return new CallBudget(Instant.now().plusSeconds(60), timeout, Clock.systemUTC());
    }

    /** A clock the test moves: the pause of a thread, without threads. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        void advance(Duration pause) {
            now = now.plus(pause);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aBodyThatIsEmptyOrNotJsonReadsAsAnEmptyObject() {
        assertThat(http.json(null).isObject()).isTrue();
        assertThat(http.json(null).isEmpty()).isTrue();
        assertThat(http.json("  ").isEmpty()).isTrue();
        assertThat(http.json("<html>Bad gateway</html>").isEmpty()).isTrue();
        assertThat(http.json("{\"ok\":true}").path("ok").asBoolean()).isTrue();
    }

    @Test
    void retryAfterInSeconds() {
        assertThat(VendorHttp.retryAfter(" 30 ")).contains(Duration.ofSeconds(30));
        assertThat(VendorHttp.retryAfter("-5")).contains(Duration.ZERO);
    }

    @Test
    void retryAfterAsAnHttpDate() {
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        assertThat(VendorHttp.retryAfter(inAMinute))
                .hasValueSatisfying(wait -> assertThat(wait).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60)));
        assertThat(VendorHttp.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
    }

    @Test
    void retryAfterThatIsGarbageIsIgnored() {
        assertThat(VendorHttp.retryAfter("soon")).isEmpty();
        assertThat(VendorHttp.retryAfter("")).isEmpty();
    }
}
