package dev.crmsync.synccore.retry;

import dev.crmsync.contract.ReceiveBackstop;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long a failed message stays invisible before its next receive: exponential backoff with
 * "equal jitter" (a random delay between half the exponential bound and the bound, so that a burst
 * of failures does not come back as a burst, while every retry waits at least half the bound),
 * never shorter than a vendor's {@code Retry-After}, never longer than the cap or SQS's 12-hour
 * visibility limit.
 *
 * <p>Retries end by time, not by count: a message is retried until its retry window (counted from
 * its first receive) is over. The queue's {@code maxReceiveCount} is only a backstop, set by
 * {@link #maxReceiveCount} high enough that the window always ends first, with room for deferrals
 * that are not failures (a busy record, the deadline margin).
 */
public final class RetryPolicy {
    /** The default retry window: {@link ReceiveBackstop#DEFAULT_WINDOW}. */
    public static final Duration DEFAULT_WINDOW = ReceiveBackstop.DEFAULT_WINDOW;
    /** SQS's largest maxReceiveCount. */
    public static final int SQS_MAX_RECEIVE_COUNT = ReceiveBackstop.SQS_MAX_RECEIVE_COUNT;
    /** Receives beyond the window's own, for deferrals: a busy record, a record not started before the deadline. */
    public static final int DEFERRAL_ALLOWANCE = ReceiveBackstop.DEFERRAL_ALLOWANCE;
    /** SQS's maximum visibility timeout less an invocation's longest hold: {@link ReceiveBackstop#MAX_VISIBILITY}. */
    public static final Duration MAX_VISIBILITY = ReceiveBackstop.MAX_VISIBILITY;

    /**
     * How long a record stays away when the function could not start: {@link ReceiveBackstop#STARTUP_FAILURE_BACKOFF}.
     */
    public static final Duration STARTUP_FAILURE_BACKOFF = ReceiveBackstop.STARTUP_FAILURE_BACKOFF;

    private final Duration base;
    private final Duration cap;
    private final Duration busyCap;
    private final DoubleSupplier random;

    /**
     * @param base    the bound of the first retry's delay
     * @param cap     the largest bound
     * @param busyCap the largest delay when a record is busy with an older version: that lease
     *                ends within one invocation, so waiting long gains nothing
     * @param random  uniform in [0, 1)
     */
    public RetryPolicy(Duration base, Duration cap, Duration busyCap, DoubleSupplier random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException(
                    "retry base must be positive and not above the cap: base=" + base + " cap=" + cap);
        }
        this.base = base;
        this.cap = cap.compareTo(MAX_VISIBILITY) > 0 ? MAX_VISIBILITY : cap;
        this.busyCap = busyCap;
        this.random = random;
    }

    /** The visibility timeout, in whole seconds, for a message received {@code receiveCount} times. */
    public int visibilitySeconds(int receiveCount, Optional<Duration> retryAfter) {
        double bound = bound(receiveCount, base, cap);
        long delayMillis = (long) (bound / 2 + random.getAsDouble() * bound / 2);
        long floorMillis = retryAfter.map(Duration::toMillis).orElse(0L);
        long chosen = Math.max(delayMillis, floorMillis);
        return (int) Math.min(MAX_VISIBILITY.toSeconds(), Math.ceilDiv(chosen, 1000L));
    }

    /**
     * The delay for a record busy with another attempt: short and jittered (at least one second),
     * since a lease is usually released within a second. From the third receive on, not before
     * the holder's lease ends: a holder still there by then may have died holding it, and short
     * retries would only spend the retry budget and send the newer event to the DLQ.
     */
    public int busySeconds(int receiveCount, Optional<Duration> leaseEndsIn) {
        double bound = Math.min(busyCap.toMillis(), 1000.0 * Math.pow(2, Math.max(0, receiveCount - 1)));
        int jittered = (int) Math.max(1, Math.ceilDiv((long) (random.getAsDouble() * bound), 1000L));
        if (receiveCount < 3 || leaseEndsIn.isEmpty()) {
            return jittered;
        }
        long untilLeaseEnds = Math.ceilDiv(Math.max(0, leaseEndsIn.get().toMillis()), 1000L);
        return (int) Math.min(MAX_VISIBILITY.toSeconds(), Math.max(jittered, untilLeaseEnds));
    }

    /**
     * The {@code maxReceiveCount} for a queue whose messages are retried for {@code window}: the
     * most receives that fit in the window at the shortest delays this policy chooses, plus the
     * deferral allowance, at most SQS's limit. With it, only the window sends a retried message to
     * the DLQ.
     */
    public static int maxReceiveCount(Duration window, Duration base, Duration cap) {
        return ReceiveBackstop.maxReceiveCount(window, base, cap);
    }

    private static double bound(int receiveCount, Duration base, Duration cap) {
        return ReceiveBackstop.bound(receiveCount, base, cap);
    }

    public Duration base() {
        return base;
    }

    public Duration cap() {
        return cap;
    }
}
