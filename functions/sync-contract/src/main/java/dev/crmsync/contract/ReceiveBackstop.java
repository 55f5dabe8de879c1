package dev.crmsync.contract;

import java.time.Duration;

/**
 * The arithmetic the function and its queue must agree on: how many receives a retry window holds.
 * Retries end by time, not by count; the queue's {@code maxReceiveCount} is only a backstop, high
 * enough that the window always ends first, with room for deferrals that are not failures (a busy
 * record, the deadline margin). The function's RetryPolicy and the stack's queue both compute it here.
 */
public final class ReceiveBackstop {
    /** The default retry window: rides out a vendor outage of 6 h 45 min (the window less one backoff cap). */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(7);
    /** SQS's largest maxReceiveCount. */
    public static final int SQS_MAX_RECEIVE_COUNT = 1000;
    /** Receives beyond the window's own, for deferrals: a busy record, a record not started before the deadline. */
    public static final int DEFERRAL_ALLOWANCE = 30;
    /**
     * SQS's maximum visibility timeout is 12 hours counted from the receive, not from the change:
     * less the longest a Lambda invocation can have held the message before it asks.
     */
    public static final Duration MAX_VISIBILITY = Duration.ofHours(12).minusMinutes(15);

    /**
     * How long a record stays away when the function could not start (a configuration error): the
     * default backoff cap. A message then costs four receives an hour, so the queue's maxReceiveCount
     * (95 at the default window) lasts about a day — time for the alarm to be seen and the
     * configuration fixed — and a fixed function finds every message within 15 minutes.
     */
    public static final Duration STARTUP_FAILURE_BACKOFF = Duration.ofMinutes(15);

    private ReceiveBackstop() {}

    /**
     * The {@code maxReceiveCount} for a queue whose messages are retried for {@code window} with a backoff
     * bound of {@code base} doubling up to {@code cap}: the most receives that fit in the window at the
     * shortest delays (half the bound), plus the deferral allowance, at most SQS's limit. With it, only the
     * window sends a retried message to the DLQ.
     */
    public static int maxReceiveCount(Duration window, Duration base, Duration cap) {
        Duration boundedCap = cap.compareTo(MAX_VISIBILITY) > 0 ? MAX_VISIBILITY : cap;
        long elapsedMillis = 0;
        int receives = 1;
        while (elapsedMillis < window.toMillis() && receives < SQS_MAX_RECEIVE_COUNT) {
            elapsedMillis += (long) (bound(receives, base, boundedCap) / 2);
            receives++;
        }
        return Math.min(SQS_MAX_RECEIVE_COUNT, receives + DEFERRAL_ALLOWANCE);
    }

    /**
     * The backoff bound of the {@code receiveCount}-th receive: {@code base × 2^(receiveCount−1)}, at most {@code
     * cap}, in ms.
     */
    public static double bound(int receiveCount, Duration base, Duration cap) {
        return Math.min(cap.toMillis(), base.toMillis() * Math.pow(2, Math.min(40, Math.max(0, receiveCount - 1))));
    }
}
