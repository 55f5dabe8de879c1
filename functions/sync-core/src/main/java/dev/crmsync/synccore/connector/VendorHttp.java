package dev.crmsync.synccore.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.ErrorClass;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The HTTP plumbing every vendor client shares: sending one call within the attempt's time left,
 * turning what goes wrong before an answer arrives into a {@link SyncFailure}, reading a JSON body
 * that may be empty or not JSON, and reading {@code Retry-After}. What a vendor's answer means (its
 * error body, its status codes, its auth) stays in the vendor's client.
 */
public final class VendorHttp {
    private final HttpClient http;
    private final ObjectMapper mapper;

    public VendorHttp(HttpClient http, ObjectMapper mapper) {
        this.http = http;
        this.mapper = mapper;
    }

    /**
     * A vendor call that did not succeed, with its classified failure. Checked, so that an
     * operation of several calls stops at the first failed one and says why, in one place.
     * Vendor clients subclass it for answers their connector treats specially (a missing record).
     */
    public static class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient SyncFailure failure;

        public CallFailed(SyncFailure failure) {
            // no stack trace: an expected outcome, reported through the failure
            super(failure.errorClass(), null, false, false);
            this.failure = failure;
        }

        public SyncFailure failure() {
            return failure;
        }
    }

    /**
     * The secret value {@code key} for a call's auth header. One that is missing or cannot be sent
     * is treated as a refused credential: the pipeline re-reads the secret once (it may have been
     * fixed since this container cached it), then fails permanently with this reason, which names
     * the key, never the value.
     */
    public static String secret(Credentials credentials, String key, String call) throws CallFailed {
        try {
            return credentials.require(key);
        } catch (Credentials.UnusableValueException e) {
            throw new CallFailed(new SyncFailure.Unauthorized(call + " not sent: " + e.getMessage()));
        }
    }

    /**
     * Sends one call and returns the vendor's answer, whatever its status.
     *
     * <p>The call's timeout is taken from {@code calls} at the moment of sending, after the request
     * is built: a thread paused anywhere before the send (a GC, a frozen container) finds the time
     * it lost already spent, so the call either ends by the call deadline, inside the attempt's
     * lease, or is not sent at all. What remains is the JDK's own step from the timeout to the
     * socket, and a vendor still working on a request it got before the timeout (docs/architecture.md,
     * "How a change is processed").
     *
     * @param call    what the call is, for reasons ("POST v1/customers"); never holds a secret
     * @param calls   the attempt's call budget; when too little of it is left, the call is not sent
     * @param redact  applied to a network error's message, which may quote what was sent
     * @param request the request's URI, method, body and headers (auth included), on a fresh builder
     * @throws CallFailed {@code deadline} (not sent), {@code request_unsendable} (the HTTP client
     *                    refused the request; the reason never quotes the refused value),
     *                    {@code timeout}, {@code network} or {@code interrupted}
     */
    public HttpResponse<String> send(
            String call, CallBudget calls, UnaryOperator<String> redact, UnaryOperator<HttpRequest.Builder> request)
            throws CallFailed {
        // Checked first so that nothing is built for a call that cannot start...
        notStartedUnlessTimeLeft(call, calls);
        Duration timeout;
        HttpRequest built;
        try {
            HttpRequest.Builder builder = request.apply(HttpRequest.newBuilder());
            // ...and again at the send: the timeout counts from here, and ends by the call deadline.
            timeout = notStartedUnlessTimeLeft(call, calls);
            built = builder.timeout(timeout).build();
        } catch (IllegalArgumentException e) {
            throw unsendable(call);
        }
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IllegalArgumentException e) {
            throw unsendable(call);
        } catch (HttpTimeoutException e) {
            throw new CallFailed(new SyncFailure.Retryable(ErrorClass.TIMEOUT, call + " timed out after " + timeout));
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : " " + redact.apply(e.getMessage());
            throw new CallFailed(new SyncFailure.Retryable(
                    ErrorClass.NETWORK, call + " failed: " + e.getClass().getSimpleName() + message));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed(new SyncFailure.Retryable(ErrorClass.INTERRUPTED, call + " was interrupted"));
        }
    }

    private static Duration notStartedUnlessTimeLeft(String call, CallBudget calls) throws CallFailed {
        return calls.nextCallTimeout()
                .orElseThrow(() -> new CallFailed(new SyncFailure.Retryable(
                        ErrorClass.DEADLINE, call + " not started: it could outlive this attempt's lease")));
    }

    /**
     * The HTTP client's message may quote the refused header value, e.g. an API key: it is dropped,
     * and the reason says only what was refused.
     */
    private static CallFailed unsendable(String call) {
        return new CallFailed(new SyncFailure.Permanent(
                ErrorClass.REQUEST_UNSENDABLE,
                call + " not sent: the HTTP client refused a header value or the URL of the request"));
    }

    /**
     * The body as JSON; an empty object when there is none or it is not JSON (a proxy's HTML page, a plain-text 503).
     */
    public JsonNode json(String body) {
        try {
            return body == null || body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    /**
     * The answer's {@code Retry-After}: seconds, or an HTTP date (RFC 1123), as the wait from now
     * (never negative); empty when absent or unreadable.
     */
    public static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(VendorHttp::retryAfter);
    }

    static Optional<Duration> retryAfter(String header) {
        String value = header.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException unparseable) {
                return Optional.empty();
            }
        }
    }
}
