package dev.crmsync.infra;

import dev.crmsync.synccore.retry.RetryPolicy;
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
 * {@link RetryPolicy#DEFAULT_WINDOW} (7 h), rides out a vendor outage of up to 6 h 45 min (the
 * window less one backoff cap) without a single message in the DLQ. The queue's maxReceiveCount is
 * only a backstop, high enough that the window always ends first; the queue's retention and the
 * age alarm follow from the window too, so an outage shorter than the window pages no one.
 */
public final class RetryArithmetic {
    /**
     * The first retry's backoff bound; it doubles with every receive. The function's own default,
     * set on it explicitly because the queue's maxReceiveCount is computed from it.
     */
    public static final Duration BACKOFF_BASE = Duration.ofSeconds(2);
    /** The largest backoff bound (the function's default, set on it explicitly like the base). */
    public static final Duration BACKOFF_CAP = Duration.ofSeconds(900);
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
    public static final Duration LONGEST_RETAINED_WINDOW =
            SQS_MAX_RETENTION.minus(RETENTION_AFTER_AGE_ALARM).minus(OLDEST_MESSAGE_AGE_GRACE).minus(BACKOFF_CAP);
    /**
     * The longest window whose receives fit under SQS's largest maxReceiveCount with room for
     * deferrals (about 5 days with this backoff). Beyond it {@link RetryPolicy#maxReceiveCount}
     * returns SQS's limit, and the count, not the window, would end a message's retries.
     */
    public static final Duration LONGEST_COUNTED_WINDOW = longestCountedWindow();
    /** The longest retry window a catalog entry may ask for: the shorter of the two above. */
    public static final Duration LONGEST_RETRY_WINDOW =
            LONGEST_COUNTED_WINDOW.compareTo(LONGEST_RETAINED_WINDOW) < 0 ? LONGEST_COUNTED_WINDOW : LONGEST_RETAINED_WINDOW;
    /**
     * DLQ retention: SQS's maximum. SQS keeps a message's original enqueue time when it moves to
     * the DLQ, so a message that reached it at the end of its window has 14 days less the window
     * there (13 d 17 h at the default window, about 9 days at the longest).
     */
    public static final Duration DEAD_LETTER_RETENTION = SQS_MAX_RETENTION;
    /** The queue's maxReceiveCount for {@code window}: {@link RetryPolicy}'s backstop for this construct's backoff. */
    public static int maxReceiveCount(Duration window) {
        return RetryPolicy.maxReceiveCount(window, BACKOFF_BASE, BACKOFF_CAP);
    }

    /** The largest whole-second window whose backstop stays below SQS's limit (the count grows with the window). */
    private static Duration longestCountedWindow() {
        long below = 1;
        long atLimit = SQS_MAX_RETENTION.toSeconds();
        while (atLimit - below > 1) {
            long middle = (below + atLimit) / 2;
            if (maxReceiveCount(Duration.ofSeconds(middle)) < RetryPolicy.SQS_MAX_RECEIVE_COUNT) {
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
