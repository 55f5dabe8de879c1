package dev.crmsync.sandbox;

import com.github.tomakehurst.wiremock.http.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The way of every request through a sandbox: fault rules acting at the edge (nothing executes) →
 * API key → the vendor's {@link VendorSandbox#serve} under the in-endpoint fault, if any → the
 * delay of a {@link VendorSandbox#delayNext} rule → the latency, if the vendor did not spend it
 * earlier → the request log.
 */
final class RequestPipeline {

    private final VendorSandbox<?> sandbox;
    private final ApiKeys apiKeys;
    private final FaultSchedule faults;
    private final RequestLog log;
    private final Supplier<Duration> latency;

    RequestPipeline(
            VendorSandbox<?> sandbox,
            ApiKeys apiKeys,
            FaultSchedule faults,
            RequestLog log,
            Supplier<Duration> latency) {
        this.sandbox = sandbox;
        this.apiKeys = apiKeys;
        this.faults = faults;
        this.log = log;
        this.latency = latency;
    }

    /** Every request comes through here: answered, the latency spent, then logged. */
    SandboxReply handle(Request received) {
        long arrival = log.arrive();
        SandboxRequest request = new SandboxRequest(received, VendorSandbox.randomId(14), Instant.now(), latency.get());
        SandboxReply reply;
        boolean executed;
        try {
            Answered answered = answer(request);
            reply = answered.reply();
            executed = answered.executed();
        } catch (RuntimeException e) {
            reply = sandbox.errorReply(request, new SandboxError.Failure(500, e.toString()));
            executed = false;
        }
        request.awaitLatency();
        log.record(
                arrival,
                new RecordedCall(
                        request.method(),
                        request.path(),
                        request.query(),
                        recorded(request),
                        request.params(),
                        request.json(),
                        reply.resetConnection() ? 0 : reply.status(),
                        reply.replayed(),
                        request.at(),
                        executed));
        return reply;
    }

    /** A reply and whether the endpoint ran ({@link RecordedCall#executed}). */
    private record Answered(SandboxReply reply, boolean executed) {}

    private Answered answer(SandboxRequest request) {
        FaultRule fault = faults.take(request.method(), request.path());
        if (fault != null && fault.actsAtTheEdge()) {
            request.awaitLatency();
            return new Answered(
                    fault.kind == FaultRule.Kind.RESET ? SandboxReply.connectionReset() : fault.answer.apply(request),
                    false);
        }
        SandboxError.Unauthorized refusal =
                apiKeys.refusal(sandbox.apiKeyScheme().presentedKey(request));
        SandboxReply reply = refusal == null ? null : sandbox.errorReply(request, refusal);
        boolean executed = reply == null && (fault == null || fault.failure == null || fault.failure.workDone());
        if (reply == null) {
            try {
                reply = sandbox.serve(request, fault != null ? fault.failure : null);
            } catch (VendorSandbox.Rejection r) {
                reply = sandbox.errorReply(request, r.error());
            }
        }
        return new Answered(
                fault != null && fault.kind == FaultRule.Kind.DELAY ? reply.delayedBy(fault.delay.toMillis()) : reply,
                executed);
    }

    private Map<String, String> recorded(SandboxRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : sandbox.recordedHeaders()) {
            String value = request.header(name);
            if (value != null && !name.equalsIgnoreCase("Authorization")) {
                headers.put(name, value);
            }
        }
        return Map.copyOf(headers);
    }
}
