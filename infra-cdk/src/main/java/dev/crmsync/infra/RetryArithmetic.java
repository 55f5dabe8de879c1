package dev.crmsync.infra;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.ReceiveBackstop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic that makes an integration's queue agree with its function's retries: the backoff
 * bounds, the backstop maxReceiveCount, the age alarm's threshold and the queues' retention, all
 * following from the retry window; and the longest window they can hold.
 *
 * <p>The function retries a change by time, not by count: a retryable failure makes the message
 * invisible for an exponential backoff ({@link #BACKOFF_BASE} doubling up to {@link #BACKOFF_CAP})
 * until the retry window, counted from the message's first receive, is over. The default window,
 * {@link ReceiveBackstop#DEFAULT_WINDOW} (7 h), rides out a vendor outage of up to 6 h 45 min (the
 * window less one backoff cap) without a single message in the DLQ. The queue's maxReceiveCount is
 * only a backstop, high enough that the window always ends first; the queue's retention and the
 * age alarm follow from the window too, so an outage shorter than the window pages no one.
 */
public final class RetryArithmetic {
    /**
     * The first retry's backoff bound; it doubles with every receive. The function's own default,
     * set on it explicitly because the queue's maxReceiveCount is computed from it.
     */
    public static final Duration BACKOFF_BASE =
            Duration.ofSeconds(EnvVar.CRM_SYNC_BACKOFF_BASE_SECONDS.defaultNumber());
    /** The largest backoff bound (the function's default, set on it explicitly like the base). */
    public static final Duration BACKOFF_CAP = Duration.ofSeconds(EnvVar.CRM_SYNC_BACKOFF_CAP_SECONDS.defaultNumber());
    /**
     * How much older than its retry window and one last backoff the oldest message may get before
     * on-call is paged (see {@link #oldestMessageAgeAlarm}).
     */
    public static final Duration OLDEST_MESSAGE_AGE_GRACE = Duration.ofMinutes(15);
    /** The longest SQS keeps a message (MessageRetentionPeriod's maximum). */
    public static final Duration SQS_MAX_RETENTION = Duration.ofDays(14);
    /** The integration queue's retention unless the retry window needs more: SQS's default. */
    public static final Duration QUEUE_RETENTION = Duration.ofDays(4);
    /**
     * Time on-call has, after the age alarm, before the queue's retention deletes a message that
     * was never processed (silently: no status record, nothing in the DLQ).
     */
    public static final Duration RETENTION_AFTER_AGE_ALARM = Duration.ofDays(3);
    /**
     * The longest window the queue can hold: its age alarm plus {@link #RETENTION_AFTER_AGE_ALARM}
     * must fit in {@link #SQS_MAX_RETENTION} (10 d 23 h 30 min).
     */
    public static final Duration LONGEST_RETAINED_WINDOW = SQS_MAX_RETENTION
            .minus(RETENTION_AFTER_AGE_ALARM)
            .minus(OLDEST_MESSAGE_AGE_GRACE)
            .minus(BACKOFF_CAP);
    /**
     * The longest window whose receives fit under SQS's largest maxReceiveCount with room for
     * deferrals (about 5 days with this backoff). Beyond it {@link ReceiveBackstop#maxReceiveCount}
     * returns SQS's limit, and the count, not the window, would end a message's retries.
     */
    public static final Duration LONGEST_COUNTED_WINDOW = longestCountedWindow();
    /** The longest retry window a catalog entry may ask for: the shorter of the two above. */
    public static final Duration LONGEST_RETRY_WINDOW = LONGEST_COUNTED_WINDOW.compareTo(LONGEST_RETAINED_WINDOW) < 0
            ? LONGEST_COUNTED_WINDOW
            : LONGEST_RETAINED_WINDOW;
    /**
     * DLQ retention: SQS's maximum. SQS keeps a message's original enqueue time when it moves to
     * the DLQ, so a message that reached it at the end of its window has 14 days less the window
     * there (13 d 17 h at the default window, about 9 days at the longest).
     */
    public static final Duration DEAD_LETTER_RETENTION = SQS_MAX_RETENTION;
    /**
     * The queue's maxReceiveCount for {@code window}: {@link ReceiveBackstop}'s backstop for this construct's backoff.
     */
    public static int maxReceiveCount(Duration window) {
        return ReceiveBackstop.maxReceiveCount(window, BACKOFF_BASE, BACKOFF_CAP);
    }

    /** The largest whole-second window whose backstop stays below SQS's limit (the count grows with the window). */
    private static Duration longestCountedWindow() {
        long below = 1;
        long atLimit = SQS_MAX_RETENTION.toSeconds();
        while (atLimit - below > 1) {
            long middle = (below + atLimit) / 2;
            if (maxReceiveCount(Duration.ofSeconds(middle)) < ReceiveBackstop.SQS_MAX_RECEIVE_COUNT) {
                below = middle;
            } else {
                atLimit = middle;
            }
        }
        return Duration.ofSeconds(below);
    }

    /**
     * The threshold of the queue's "age of oldest message" alarm: the retry window, one last
     * backoff and {@link #OLDEST_MESSAGE_AGE_GRACE} (7 h 30 min at the default window), so a vendor
     * outage shorter than the window pages no one. (Besides, SQS leaves a message out of this metric
     * once it has been received three times, so messages in retry hardly count.) What it catches is
     * a backlog: messages the function does not receive for longer than a whole window — event
     * source mapping disabled, function unable to start or throttled, or far too slow — which SQS
     * would otherwise delete silently at the end of the queue's retention.
     */
    public static Duration oldestMessageAgeAlarm(Duration window) {
        return window.plus(BACKOFF_CAP).plus(OLDEST_MESSAGE_AGE_GRACE);
    }

    /**
     * The integration queue's retention for {@code window}: {@link #QUEUE_RETENTION}, or longer when
     * the window needs it, so that {@link #RETENTION_AFTER_AGE_ALARM} remains after the age alarm.
     * A window whose retention would exceed SQS's maximum ({@link #LONGEST_RETAINED_WINDOW}) is
     * refused when the catalog entry is built.
     */
    public static Duration queueRetention(Duration window) {
        Duration needed = oldestMessageAgeAlarm(window).plus(RETENTION_AFTER_AGE_ALARM);
        return needed.compareTo(QUEUE_RETENTION) > 0 ? needed : QUEUE_RETENTION;
    }

    /**
     * Refuses a catalog entry's window that is not a positive whole number of seconds, or longer than
     * {@link #LONGEST_RETRY_WINDOW}, with a reason that says which SQS limit it would break.
     */
    static void requireRetryWindow(String name, Duration window) {
        if (window == null || window.isNegative() || window.isZero() || window.getNano() != 0) {
            throw new IllegalArgumentException(
                    name + ": retryWindow must be a positive whole number of seconds, was " + window);
        }
        // The queue must still hold a message when its window is over (SQS would delete it silently,
        // with no status record and nothing in the DLQ), and SQS holds messages 14 days at most.
        if (window.compareTo(LONGEST_RETAINED_WINDOW) > 0) {
            throw new IllegalArgumentException(name + ": retryWindow " + readable(window)
                    + " is longer than SQS allows. The queue must keep a message for the window, the last backoff ("
                    + readable(BACKOFF_CAP) + "), the age alarm's grace ("
                    + readable(OLDEST_MESSAGE_AGE_GRACE) + ") and "
                    + readable(RETENTION_AFTER_AGE_ALARM)
                    + " for on-call after that alarm, and SQS keeps a message at most "
                    + readable(SQS_MAX_RETENTION) + ": choose a retryWindow of at most "
                    + readable(LONGEST_RETRY_WINDOW) + ".");
        }
        // Past this the queue's maxReceiveCount would be SQS's limit, reached before the window ends.
        if (window.compareTo(LONGEST_COUNTED_WINDOW) > 0) {
            throw new IllegalArgumentException(name + ": retryWindow " + readable(window)
                    + " is longer than SQS allows. Retried with a backoff of at most " + readable(BACKOFF_CAP)
                    + ", a message would reach SQS's largest maxReceiveCount (" + ReceiveBackstop.SQS_MAX_RECEIVE_COUNT
                    + ") before its window ends: choose a retryWindow of at most "
                    + readable(LONGEST_RETRY_WINDOW) + ".");
        }
    }

    /** {@code 10 d 23 h 30 min}: durations as on-call reads them in alarm descriptions and errors. */
    public static String readable(Duration duration) {
        List<String> parts = new ArrayList<>();
        if (duration.toDaysPart() > 0) {
            parts.add(duration.toDaysPart() + " d");
        }
        if (duration.toHoursPart() > 0) {
            parts.add(duration.toHoursPart() + " h");
        }
        if (duration.toMinutesPart() > 0) {
            parts.add(duration.toMinutesPart() + " min");
        }
        if (duration.toSecondsPart() > 0 || parts.isEmpty()) {
            parts.add(duration.toSecondsPart() + " s");
        }
        return String.join(" ", parts);
    }

    private RetryArithmetic() {}
}
