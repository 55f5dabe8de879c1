package dev.crmsync.synccore.retry;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * How long a failed message stays invisible before its next receive: exponential backoff with
 * full jitter (a random delay between zero and the exponential bound, so that a burst of
 * failures does not come back as a burst), never shorter than a vendor's {@code Retry-After},
 * never longer than the cap or SQS's 12-hour visibility limit.
 */
public final class RetryPolicy {
    /** SQS's maximum visibility timeout. */
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12);

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
            throw new IllegalArgumentException("retry base must be positive and not above the cap: base=" + base + " cap=" + cap);
        }
        this.base = base;
        this.cap = cap.compareTo(MAX_VISIBILITY) > 0 ? MAX_VISIBILITY : cap;
        this.busyCap = busyCap;
        this.random = random;
    }

    /** The visibility timeout, in whole seconds, for a message received {@code receiveCount} times. */
    public int visibilitySeconds(int receiveCount, Optional<Duration> retryAfter) {
        double bound = Math.min(cap.toMillis(), base.toMillis() * Math.pow(2, Math.max(0, receiveCount - 1)));
        long delayMillis = (long) (random.getAsDouble() * bound);
        long floorMillis = retryAfter.map(Duration::toMillis).orElse(0L);
        long chosen = Math.max(delayMillis, floorMillis);
        return (int) Math.min(MAX_VISIBILITY.toSeconds(), Math.ceilDiv(chosen, 1000L));
    }

    /** A short jittered delay for a record busy with an older version; at least one second. */
    public int busySeconds(int receiveCount) {
        double bound = Math.min(busyCap.toMillis(), 1000.0 * Math.pow(2, Math.max(0, receiveCount - 1)));
        return (int) Math.max(1, Math.ceilDiv((long) (random.getAsDouble() * bound), 1000L));
    }

    public Duration base() {
        return base;
    }

    public Duration cap() {
        return cap;
    }
}
