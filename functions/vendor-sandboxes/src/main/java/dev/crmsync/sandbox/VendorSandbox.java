package dev.crmsync.sandbox;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;

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
 * <p>This class is the configuration every test sees; the jobs behind it have classes of their
 * own: the HTTP server ({@link SandboxServer}), a request's way through ({@link RequestPipeline}),
 * the keys ({@link ApiKeys}), the faults ({@link FaultSchedule}), the log ({@link RequestLog}).
 *
 * <p>Use {@link #shared} per test JVM, or a fresh one per test class, and {@link #reset()} before
 * each test.
 *
 * @param <S> the vendor sandbox itself, so that configuration calls chain
 */
public abstract class VendorSandbox<S extends VendorSandbox<S>> implements AutoCloseable {

    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String vendor;
    private final ApiKeys apiKeys = new ApiKeys();
    private final FaultSchedule faults = new FaultSchedule(this::errorReply);
    private final RequestLog log = new RequestLog();
    private volatile Duration latency = Duration.ZERO;
    private final SandboxServer server =
            new SandboxServer(new RequestPipeline(this, apiKeys, faults, log, () -> latency)::handle);

    /** @param vendor the vendor's name, for thread names and messages ("stripe") */
    protected VendorSandbox(String vendor) {
        this.vendor = Objects.requireNonNull(vendor);
    }

    /**
     * The sandbox of {@code type} for this JVM, started by {@code start} on first use and stopped at
     * exit (starting one per test class costs seconds). A vendor's {@code shared()} calls this.
     */
    protected static <T extends VendorSandbox<T>> T shared(Class<T> type, Supplier<T> start) {
        return SharedSandboxes.get(type, start);
    }

    /** Starts the server on 127.0.0.1 with a free port; a vendor's {@code start()} calls this on a new instance. */
    protected final S startServer() {
        server.start();
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
        faults.clearRules();
        apiKeys.clear();
        latency = Duration.ZERO;
        resetState();
        log.clear();
    }

    // ---------------------------------------------------------------- configuration

    /** Registers API keys the sandbox accepts; every other key is refused ({@link SandboxError.Unauthorized}). */
    public S acceptApiKeys(String... keys) {
        apiKeys.accept(keys);
        return self();
    }

    /** Makes previously accepted keys invalid (an expired or rotated key: refused from now on). */
    public S revokeApiKeys(String... keys) {
        apiKeys.revoke(keys);
        return self();
    }

    /**
     * The next {@code times} requests matching {@code method} (case-insensitive; {@code "*"} or null
     * for any) and {@code pathRegex} (the whole path, no query) get {@code status} with the vendor's
     * usual error body for it ({@link SandboxError.Failure}). Answered at the edge: before the API
     * key is checked, nothing is executed.
     */
    public S failNext(String method, String pathRegex, int times, int status) {
        return answerNext(
                method, pathRegex, times, request -> errorReply(request, new SandboxError.Failure(status, null)));
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
                method,
                pathRegex,
                times,
                request -> errorReply(request, new SandboxError.RateLimited(retryAfterSeconds)));
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
                method,
                pathRegex,
                times,
                request -> errorReply(request, new SandboxError.Rejected(status, error, message)));
    }

    /**
     * From now on, every request that no scripted fault rule strikes is handed to {@code faults},
     * which may strike it with one of its kinds (seeded, so a run's draws can be repeated); null
     * turns random faults off. Replaces the previous random faults.
     */
    public S randomFaults(RandomFaults faults) {
        this.faults.randomFaults(faults);
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
        return log.all();
    }

    /** Calls whose method matches ({@code "*"}/null = any) and whose path matches the whole regex. */
    public List<RecordedCall> calls(String method, String pathRegex) {
        return log.matching(method, pathRegex);
    }

    // ---------------------------------------------------------------- what a vendor implements

    /**
     * How the vendor's requests present their API key (Bearer for Stripe and Slack, Basic for Mailchimp and Zendesk).
     */
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
        return runEndpoint(
                failure, () -> route(request), status -> errorReply(request, new SandboxError.Failure(status, null)));
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
        faults.add(rule);
        return self();
    }

    /** The vendor's name ("stripe"), for the thread that stops a shared sandbox. */
    final String vendor() {
        return vendor;
    }
}
