package dev.crmsync.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What every local vendor server shares: a WireMock 3 server on 127.0.0.1 with a free port (one
 * catch-all stub whose answer is computed per request), the accepted API keys, fault rules, a fixed
 * latency and the request log. A vendor sandbox extends it with its API: how a request presents its
 * key ({@link #apiKeyScheme}), how an error looks ({@link #errorReply}), its endpoints ({@link
 * #route}) and the state behind them ({@link #resetState}).
 *
 * <p>Each request goes: fault rules acting at the edge (nothing executes) → API key → {@link
 * #serve} (by default the endpoint, {@link #route}) → the delay of a {@link #delayNext} rule → the
 * request log. The latency is spent once per request ({@link SandboxRequest#awaitLatency}).
 *
 * <p>Use {@link #shared} per test JVM, or a fresh one per test class, and {@link #reset()} before
 * each test. Do not reset the underlying WireMock server: that would remove the catch-all stub.
 *
 * @param <S> the vendor sandbox itself, so that configuration calls chain
 */
public abstract class VendorSandbox<S extends VendorSandbox<S>> implements AutoCloseable {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TRANSFORMER_NAME = "vendor-sandbox";
    private static final Map<Class<?>, VendorSandbox<?>> SHARED = new HashMap<>();

    private final String vendor;
    private final WireMockServer server;
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
    private final Object faultLock = new Object();
    private final List<FaultRule> faults = new ArrayList<>(); // guarded by faultLock
    private final ConcurrentSkipListMap<Long, RecordedCall> calls = new ConcurrentSkipListMap<>();
    private final AtomicLong arrivals = new AtomicLong();
    private volatile Duration latency = Duration.ZERO;
    private volatile RandomFaults randomFaults; // null: none

    /** @param vendor the vendor's name, for thread names and messages ("stripe") */
    protected VendorSandbox(String vendor) {
        this.vendor = Objects.requireNonNull(vendor);
        this.server =
                new WireMockServer(
                        wireMockConfig()
                                .bindAddress("127.0.0.1")
                                .dynamicPort()
                                // Plain HTTP/1.1 only: WireMock's connection faults do not work over h2c, and
                                // the JDK HttpClient would otherwise upgrade.
                                .http2PlainDisabled(true)
                                .containerThreads(64)
                                .disableRequestJournal()
                                .extensions(new Transformer()));
    }

    /**
     * The sandbox of {@code type} for this JVM, started by {@code start} on first use and stopped at
     * exit (starting one per test class costs seconds). A vendor's {@code shared()} calls this.
     */
    protected static synchronized <T extends VendorSandbox<T>> T shared(Class<T> type, Supplier<T> start) {
        VendorSandbox<?> existing = SHARED.get(type);
        if (existing != null) {
            return type.cast(existing);
        }
        T sandbox = start.get();
        SHARED.put(type, sandbox);
        VendorSandbox<?> started = sandbox;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, started.vendor + "-sandbox-stop"));
        return sandbox;
    }

    /** Starts the server on 127.0.0.1 with a free port; a vendor's {@code start()} calls this on a new instance. */
    protected final S startServer() {
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(TRANSFORMER_NAME)));
        return self();
    }

    /** {@code http://127.0.0.1:<port>}: the connector appends the vendor's paths. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Forgets the vendor's state ({@link #resetState}), API keys, faults, latency and calls. */
    public final void reset() {
        synchronized (faultLock) {
            faults.clear();
        }
        apiKeys.clear();
        latency = Duration.ZERO;
        resetState();
        calls.clear();
    }

    // ---------------------------------------------------------------- configuration

    /** Registers API keys the sandbox accepts; every other key is refused ({@link SandboxError.Unauthorized}). */
    public S acceptApiKeys(String... keys) {
        for (String k : keys) {
            apiKeys.add(Objects.requireNonNull(k));
        }
        return self();
    }

    /** Makes previously accepted keys invalid (an expired or rotated key: refused from now on). */
    public S revokeApiKeys(String... keys) {
        for (String k : keys) {
            apiKeys.remove(k);
        }
        return self();
    }

    /**
     * The next {@code times} requests matching {@code method} (case-insensitive; {@code "*"} or null
     * for any) and {@code pathRegex} (the whole path, no query) get {@code status} with the vendor's
     * usual error body for it ({@link SandboxError.Failure}). Answered at the edge: before the API
     * key is checked, nothing is executed.
     */
    public S failNext(String method, String pathRegex, int times, int status) {
        return answerNext(method, pathRegex, times, request -> errorReply(request, new SandboxError.Failure(status, null)));
    }

    /**
     * The next {@code times} matching requests fail with {@code status} (a 5xx) inside the endpoint,
     * after it started executing and before it changed anything. A vendor that saves answers (Stripe's
     * idempotency keys) saves this one too.
     */
    public S failAfterStartNext(String method, String pathRegex, int times, int status) {
        return addFault(FaultRule.inEndpoint(method, pathRegex, times, new EndpointFailure(status, false)));
    }

    /**
     * Like {@link #failAfterStartNext}, but the endpoint did its work (the object exists) before it
     * failed: the case where a 5xx's outcome is unknown to the client.
     */
    public S failAfterWorkNext(String method, String pathRegex, int times, int status) {
        return addFault(FaultRule.inEndpoint(method, pathRegex, times, new EndpointFailure(status, true)));
    }

    /** The next {@code times} matching requests are rate-limited ({@link SandboxError.RateLimited}). */
    public S rateLimitNext(String method, String pathRegex, int times, int retryAfterSeconds) {
        return answerNext(
                method, pathRegex, times, request -> errorReply(request, new SandboxError.RateLimited(retryAfterSeconds)));
    }

    /** The next {@code times} matching requests get their connection reset (no response at all). */
    public S resetConnectionNext(String method, String pathRegex, int times) {
        return addFault(FaultRule.reset(method, pathRegex, times));
    }

    /**
     * The next {@code times} matching requests are executed normally (objects created, answers
     * saved) but their response is held back for {@code delay}: the "the vendor did it but the
     * client timed out" case.
     */
    public S delayNext(String method, String pathRegex, int times, Duration delay) {
        return addFault(FaultRule.delay(method, pathRegex, times, delay));
    }

    /**
     * The next {@code times} matching requests get {@code status} with the vendor's error named
     * {@code error} and {@code message} (may be null) ({@link SandboxError.Rejected}). Answered at
     * the edge: nothing is executed or saved.
     */
    public S rejectNext(String method, String pathRegex, int times, int status, String error, String message) {
        return answerNext(
                method, pathRegex, times, request -> errorReply(request, new SandboxError.Rejected(status, error, message)));
    }

    /**
     * From now on, every request that no scripted fault rule strikes is handed to {@code faults},
     * which may strike it with one of its kinds (seeded, so a run's draws can be repeated); null
     * turns random faults off. Replaces the previous random faults.
     */
    public S randomFaults(RandomFaults faults) {
        this.randomFaults = faults;
        return self();
    }

    /** Every request takes at least this long from now on (zero or null to turn off). */
    public S setLatency(Duration latency) {
        this.latency = latency == null ? Duration.ZERO : latency;
        return self();
    }

    /**
     * The next {@code times} matching requests get {@code answer}'s reply at the edge: before the API
     * key is checked, nothing is executed. For a vendor's own fault shapes (Stripe's {@code
     * rejectNext} with a type and a code).
     */
    protected final S answerNext(
            String method, String pathRegex, int times, Function<SandboxRequest, SandboxReply> answer) {
        return addFault(FaultRule.answer(method, pathRegex, times, answer));
    }

    // ---------------------------------------------------------------- the request log

    /** Every request received, in arrival order (a request appears once it has been answered). */
    public List<RecordedCall> calls() {
        return List.copyOf(calls.values());
    }

    /** Calls whose method matches ({@code "*"}/null = any) and whose path matches the whole regex. */
    public List<RecordedCall> calls(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return calls.values().stream()
                .filter(c -> FaultRule.methodMatches(method, c.method()) && p.matcher(c.path()).matches())
                .toList();
    }

    // ---------------------------------------------------------------- what a vendor implements

    /** How the vendor's requests present their API key (Bearer for Stripe and Slack, Basic for Mailchimp and Zendesk). */
    protected abstract ApiKeyScheme apiKeyScheme();

    /** The vendor's answer for {@code error}, in its own error shape, status and headers. */
    protected abstract SandboxReply errorReply(SandboxRequest request, SandboxError error);

    /**
     * The vendor's endpoints: the answer to an authenticated request. Throw a {@link Rejection} for
     * a refusal rendered by {@link #errorReply}; any other exception becomes a {@link
     * SandboxError.Failure} 500 naming it.
     */
    protected abstract SandboxReply route(SandboxRequest request);

    /** Forgets the vendor's objects and settings (called by {@link #reset()}). */
    protected abstract void resetState();

    /**
     * Header names to keep in the request log (never credentials). Default: {@code Content-Type},
     * {@code Idempotency-Key}, {@code User-Agent}.
     */
    protected Set<String> recordedHeaders() {
        return Set.of("Content-Type", "Idempotency-Key", "User-Agent");
    }

    /**
     * Answers an authenticated request, with the in-endpoint fault that strikes it (null when none).
     * The default runs the endpoint under the fault ({@link #runEndpoint}); a vendor overrides it to check
     * what it checks before its endpoints (versions, content types) or to save answers (idempotency).
     */
    protected SandboxReply serve(SandboxRequest request, EndpointFailure failure) {
        return runEndpoint(failure, () -> route(request), status -> errorReply(request, new SandboxError.Failure(status, null)));
    }

    /**
     * Runs {@code endpoint} under {@code failure}: none → its result; failed after start → {@code
     * failed} without running it; failed after work → runs it, then {@code failed}.
     */
    protected static <T> T runEndpoint(EndpointFailure failure, Supplier<T> endpoint, IntFunction<T> failed) {
        if (failure == null) {
            return endpoint.get();
        }
        if (failure.workDone()) {
            endpoint.get();
        }
        return failed.apply(failure.status());
    }

    /** {@code n} random letters and digits, for the vendor's ids. */
    protected static String randomId(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    /** A refusal thrown by an endpoint and rendered by {@link #errorReply} as {@link SandboxError.Rejected}. */
    public static final class Rejection extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SandboxError.Rejected error;

        public Rejection(int status, String error, String message) {
            super(error + ": " + message, null, false, false);
            this.error = new SandboxError.Rejected(status, error, message);
        }

        public SandboxError.Rejected error() {
            return error;
        }
    }

    // ---------------------------------------------------------------- implementation

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    private S addFault(FaultRule rule) {
        synchronized (faultLock) {
            faults.add(rule);
        }
        return self();
    }

    private FaultRule takeFault(String method, String path) {
        synchronized (faultLock) {
            for (Iterator<FaultRule> it = faults.iterator(); it.hasNext(); ) {
                FaultRule r = it.next();
                if (r.matches(method, path)) {
                    if (r.use()) {
                        it.remove();
                    }
                    return r;
                }
            }
        }
        RandomFaults random = randomFaults;
        return random == null ? null : random.draw(method, path).map(kind -> ruleFor(kind, random)).orElse(null);
    }

    /** A one-time rule that strikes as {@code kind} does. */
    private FaultRule ruleFor(RandomFaults.Kind kind, RandomFaults drawnBy) {
        return switch (kind) {
            case SERVER_ERROR -> FaultRule.answer("*", ".*", 1, request -> errorReply(request, new SandboxError.Failure(503, null)));
            case SERVER_ERROR_AFTER_START -> FaultRule.inEndpoint("*", ".*", 1, new EndpointFailure(500, false));
            case SERVER_ERROR_AFTER_WORK -> FaultRule.inEndpoint("*", ".*", 1, new EndpointFailure(500, true));
            case RATE_LIMITED_WITH_RETRY_AFTER -> FaultRule.answer("*", ".*", 1,
                    request -> errorReply(request, new SandboxError.RateLimited(1)));
            case RATE_LIMITED_WITHOUT_RETRY_AFTER -> FaultRule.answer("*", ".*", 1,
                    request -> withoutHeader(errorReply(request, new SandboxError.RateLimited(1)), "Retry-After"));
            case TIMEOUT -> FaultRule.delay("*", ".*", 1, drawnBy.timeoutDelay());
            case CONNECTION_RESET -> FaultRule.reset("*", ".*", 1);
        };
    }

    private static SandboxReply withoutHeader(SandboxReply reply, String name) {
        Map<String, String> headers = new LinkedHashMap<>(reply.headers());
        headers.keySet().removeIf(name::equalsIgnoreCase);
        return new SandboxReply(reply.status(), reply.body(), headers, reply.resetConnection(), reply.delayMillis(), reply.replayed());
    }

    /** A reply and whether the endpoint ran ({@link RecordedCall#executed}). */
    private record Answered(SandboxReply reply, boolean executed) {}

    private Answered answer(SandboxRequest request) {
        FaultRule fault = takeFault(request.method(), request.path());
        if (fault != null && fault.actsAtTheEdge()) {
            request.awaitLatency();
            return new Answered(fault.kind == FaultRule.Kind.RESET ? SandboxReply.connectionReset() : fault.answer.apply(request), false);
        }
        SandboxReply reply = authenticate(request);
        boolean executed = reply == null && (fault == null || fault.failure == null || fault.failure.workDone());
        if (reply == null) {
            try {
                reply = serve(request, fault != null ? fault.failure : null);
            } catch (Rejection r) {
                reply = errorReply(request, r.error());
            }
        }
        return new Answered(fault != null && fault.kind == FaultRule.Kind.DELAY ? reply.delayedBy(fault.delay.toMillis()) : reply, executed);
    }

    private SandboxReply authenticate(SandboxRequest request) {
        String key = apiKeyScheme().presentedKey(request);
        if (key == null || key.isEmpty()) {
            return errorReply(request, new SandboxError.Unauthorized(null));
        }
        return apiKeys.contains(key) ? null : errorReply(request, new SandboxError.Unauthorized(key));
    }

    private Map<String, String> recorded(SandboxRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : recordedHeaders()) {
            String value = request.header(name);
            if (value != null && !name.equalsIgnoreCase("Authorization")) {
                headers.put(name, value);
            }
        }
        return Map.copyOf(headers);
    }

    private static ResponseDefinition toDefinition(SandboxReply r) {
        ResponseDefinitionBuilder b = ResponseDefinitionBuilder.responseDefinition();
        if (r.resetConnection()) {
            return b.withFault(Fault.CONNECTION_RESET_BY_PEER).build();
        }
        b.withStatus(r.status()).withBody(r.body());
        r.headers().forEach(b::withHeader);
        if (r.delayMillis() > 0) {
            b.withFixedDelay((int) Math.min(Integer.MAX_VALUE, r.delayMillis()));
        }
        return b.build();
    }

    /** The WireMock extension behind the catch-all stub: every request comes through here. */
    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return TRANSFORMER_NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            long arrival = arrivals.incrementAndGet();
            SandboxRequest request = new SandboxRequest(event.getRequest(), randomId(14), Instant.now(), latency);
            SandboxReply reply;
            boolean executed;
            try {
                Answered answered = answer(request);
                reply = answered.reply();
                executed = answered.executed();
            } catch (RuntimeException e) {
                reply = errorReply(request, new SandboxError.Failure(500, e.toString()));
                executed = false;
            }
            request.awaitLatency();
            calls.put(
                    arrival,
                    new RecordedCall(
                            request.method(), request.path(), request.query(), recorded(request), request.params(),
                            request.json(), reply.resetConnection() ? 0 : reply.status(), reply.replayed(), request.at(), executed));
            return toDefinition(reply);
        }
    }
}
