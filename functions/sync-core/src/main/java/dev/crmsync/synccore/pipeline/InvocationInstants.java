package dev.crmsync.synccore.pipeline;

import java.time.Duration;
import java.time.Instant;

/**
 * The instants of one invocation, all derived from its deadline and the margin, in the order they
 * come: no record starts after {@code lastStart}; every vendor call ends by {@code callsEnd}; the
 * batch stops waiting for its records (and their state writes end) at {@code stopWaiting}; the
 * leases taken end at {@code leaseEnd}, the invocation's own deadline — after every call and write
 * of this invocation, so no later attempt can take a lease while one of ours is still in flight.
 */
record InvocationInstants(Instant lastStart, Instant callsEnd, Instant stopWaiting, Instant leaseEnd) {
    static InvocationInstants of(Instant now, long remainingMillis, Duration margin) {
        Instant deadline = now.plusMillis(Math.max(0, remainingMillis));
        return new InvocationInstants(
                deadline.minus(margin),
                deadline.minus(margin.dividedBy(2)),
                deadline.minus(margin.dividedBy(4)),
                deadline);
    }

    /**
     * When the outcome events' PutEvents must have ended: after the visibility changes, which matter
     * more, and halfway between {@code stopWaiting} and the deadline, so the batch response is still
     * returned in time — a late response would fail, and repeat, the whole batch.
     */
    Instant outcomeEventsEnd() {
        return stopWaiting.plus(Duration.between(stopWaiting, leaseEnd).dividedBy(2));
    }

    boolean tooLateToStart(Instant now) {
        return !now.isBefore(lastStart);
    }
}
