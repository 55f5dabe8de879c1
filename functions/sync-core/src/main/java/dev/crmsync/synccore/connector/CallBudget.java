package dev.crmsync.synccore.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long the vendor calls of one attempt may take. Every call must end by {@code callDeadline},
 * which lies inside the attempt's lease: a call that could end after it is never started, so no
 * call of an abandoned attempt can still be in flight when another attempt takes the lease over.
 * {@link VendorHttp#send} asks for the timeout at the moment it sends, not when the connector
 * decides to call, so a pause in between is counted against the call.
 *
 * @param callDeadline   every vendor call of this attempt ends by then
 * @param maxCallTimeout the longest any one vendor call may take
 * @param clock          the pipeline's clock (tests drive it)
 */
public record CallBudget(Instant callDeadline, Duration maxCallTimeout, Clock clock) {
    /** Less than this left: a call would only time out, so none is started. */
    public static final Duration SHORTEST_CALL = Duration.ofMillis(50);

    public CallBudget {
        if (maxCallTimeout.compareTo(SHORTEST_CALL) < 0) {
            throw new IllegalArgumentException(
                    "the vendor call timeout must be at least " + SHORTEST_CALL.toMillis() + " ms");
        }
    }

    /**
     * The timeout for a call started now: what is left until the call deadline, at most the
     * maximum; empty when too little is left to start one.
     */
    public Optional<Duration> nextCallTimeout() {
        Duration left = Duration.between(clock.instant(), callDeadline);
        if (left.compareTo(SHORTEST_CALL) < 0) {
            return Optional.empty();
        }
        return Optional.of(left.compareTo(maxCallTimeout) < 0 ? left : maxCallTimeout);
    }
}
