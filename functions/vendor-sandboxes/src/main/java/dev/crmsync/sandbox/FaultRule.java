package dev.crmsync.sandbox;

import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Pattern;

/** A fault for the next {@code remaining} requests matching a method and a whole-path regex. */
final class FaultRule {

    enum Kind {
        /** Answered before auth and the endpoint, like an edge failure: nothing runs. */
        ANSWER,
        RESET,
        /** The request is executed; only the response is held back. */
        DELAY,
        /** Handed to the endpoint as an {@link EndpointFailure}. */
        IN_ENDPOINT
    }

    private final String method;
    private final Pattern path;
    private int remaining; // guarded by the sandbox's fault lock
    final Kind kind;
    final Function<SandboxRequest, SandboxReply> answer;
    final Duration delay;
    final EndpointFailure failure;

    private FaultRule(
            String method,
            String pathRegex,
            int times,
            Kind kind,
            Function<SandboxRequest, SandboxReply> answer,
            Duration delay,
            EndpointFailure failure) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be >= 1");
        }
        this.method = method;
        this.path = Pattern.compile(pathRegex);
        this.remaining = times;
        this.kind = kind;
        this.answer = answer;
        this.delay = delay;
        this.failure = failure;
    }

    static FaultRule answer(String method, String pathRegex, int times, Function<SandboxRequest, SandboxReply> answer) {
        return new FaultRule(method, pathRegex, times, Kind.ANSWER, answer, null, null);
    }

    static FaultRule reset(String method, String pathRegex, int times) {
        return new FaultRule(method, pathRegex, times, Kind.RESET, null, null, null);
    }

    static FaultRule delay(String method, String pathRegex, int times, Duration delay) {
        return new FaultRule(method, pathRegex, times, Kind.DELAY, null, delay, null);
    }

    static FaultRule inEndpoint(String method, String pathRegex, int times, EndpointFailure failure) {
        return new FaultRule(method, pathRegex, times, Kind.IN_ENDPOINT, null, null, failure);
    }

    boolean matches(String m, String p) {
        return methodMatches(method, m) && path.matcher(p).matches();
    }

    /** Counts one use; true when the rule is used up. */
    boolean use() {
        return --remaining <= 0;
    }

    boolean actsAtTheEdge() {
        return kind == Kind.ANSWER || kind == Kind.RESET;
    }

    /** {@code "*"} or null match any method; otherwise case-insensitive. */
    static boolean methodMatches(String wanted, String actual) {
        return wanted == null || "*".equals(wanted) || wanted.equalsIgnoreCase(actual);
    }
}
