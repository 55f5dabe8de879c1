package dev.crmsync.sandbox;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The faults a sandbox has been told to inject: the scripted rules ({@link VendorSandbox#failNext}
 * and its siblings), used up in the order they were added, and the random faults of a fault run,
 * drawn for requests no scripted rule strikes. A drawn fault becomes a one-time rule rendered in the
 * vendor's own error shape.
 */
final class FaultSchedule {

    private final BiFunction<SandboxRequest, SandboxError, SandboxReply> errorReply;
    private final Object lock = new Object();
    private final List<FaultRule> rules = new ArrayList<>(); // guarded by lock
    private volatile RandomFaults randomFaults; // null: none

    /** @param errorReply the vendor's answer for an error ({@link VendorSandbox#errorReply}) */
    FaultSchedule(BiFunction<SandboxRequest, SandboxError, SandboxReply> errorReply) {
        this.errorReply = errorReply;
    }

    void add(FaultRule rule) {
        synchronized (lock) {
            rules.add(rule);
        }
    }

    /** Forgets the scripted rules; the random faults stay until replaced. */
    void clearRules() {
        synchronized (lock) {
            rules.clear();
        }
    }

    void randomFaults(RandomFaults faults) {
        this.randomFaults = faults;
    }

    /** The rule that strikes this request (counted as used), a drawn random fault, or null. */
    FaultRule take(String method, String path) {
        synchronized (lock) {
            for (Iterator<FaultRule> it = rules.iterator(); it.hasNext(); ) {
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
        return random == null
                ? null
                : random.draw(method, path).map(kind -> ruleFor(kind, random)).orElse(null);
    }

    /** A one-time rule that strikes as {@code kind} does. */
    private FaultRule ruleFor(RandomFaults.Kind kind, RandomFaults drawnBy) {
        return switch (kind) {
            case SERVER_ERROR ->
                FaultRule.answer(
                        "*", ".*", 1, request -> errorReply.apply(request, new SandboxError.Failure(503, null)));
            case SERVER_ERROR_AFTER_START -> FaultRule.inEndpoint("*", ".*", 1, new EndpointFailure(500, false));
            case SERVER_ERROR_AFTER_WORK -> FaultRule.inEndpoint("*", ".*", 1, new EndpointFailure(500, true));
            case RATE_LIMITED_WITH_RETRY_AFTER ->
                FaultRule.answer("*", ".*", 1, request -> errorReply.apply(request, new SandboxError.RateLimited(1)));
            case RATE_LIMITED_WITHOUT_RETRY_AFTER ->
                FaultRule.answer(
                        "*",
                        ".*",
                        1,
                        request -> errorReply
                                .apply(request, new SandboxError.RateLimited(1))
                                .withoutHeader("Retry-After"));
            case TIMEOUT -> FaultRule.delay("*", ".*", 1, drawnBy.timeoutDelay());
            case CONNECTION_RESET -> FaultRule.reset("*", ".*", 1);
        };
    }
}
