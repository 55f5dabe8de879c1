package dev.crmsync.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The instants of recent requests, for a vendor's rate limit over a trailing window (Zendesk's
 * per-user writes and per-minute account limit, Slack's posts per channel and history calls). An
 * instant counts while it is after {@code now - window}. Not thread-safe: the vendor's lock guards it.
 */
public final class SlidingWindow {

    private final Deque<Instant> instants = new ArrayDeque<>();

    /** Records a request at {@code at}. */
    public void add(Instant at) {
        instants.addLast(at);
    }

    /** How many requests fall in the window ending {@code now}; older ones are forgotten. */
    public int countWithin(Duration window, Instant now) {
        Instant start = now.minus(window);
        while (!instants.isEmpty() && !instants.peekFirst().isAfter(start)) {
            instants.pollFirst();
        }
        return instants.size();
    }

    /**
     * The {@code Retry-After} for a request refused at {@code now}: the whole seconds, at least one,
     * until the oldest request in the window leaves it. Call after {@link #countWithin} found it full.
     */
    public int retryAfterSeconds(Duration window, Instant now) {
        Duration wait = Duration.between(now, instants.peekFirst().plus(window));
        return (int) Math.max(1, Math.ceilDiv(wait.toMillis(), 1000L));
    }

    public void clear() {
        instants.clear();
    }
}
