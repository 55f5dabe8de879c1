package dev.crmsync.sandbox;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Faults drawn at random for a fault run ({@link VendorSandbox#randomFaults}): each request whose
 * method and whole path match is struck with {@code probability} by one of {@code kinds}, chosen
 * uniformly. The draws come from one {@link Random} seeded by the caller, so the same seed draws the
 * same sequence (which request gets which draw depends on arrival order). The first matching
 * requests get each kind once, in order, so that even a short run meets every kind. Counts what it
 * injected.
 */
public final class RandomFaults {

    /** What a drawn fault does to the request, each rendered in the vendor's own shape. */
    public enum Kind {
        /** 503 at the edge: nothing runs. */
        SERVER_ERROR,
        /**
         * 500 inside the endpoint before any work: Stripe saves it under the request's idempotency key and replays it.
         */
        SERVER_ERROR_AFTER_START,
        /**
         * 500 after the endpoint did its work: the object exists, the client only sees the error (saved by Stripe too).
         */
        SERVER_ERROR_AFTER_WORK,
        /** 429 with {@code Retry-After: 1} where the vendor sends the header. */
        RATE_LIMITED_WITH_RETRY_AFTER,
        /** 429 without {@code Retry-After}. */
        RATE_LIMITED_WITHOUT_RETRY_AFTER,
        /** The work is done, the answer held back past the client's timeout ({@link #timeoutDelay}). */
        TIMEOUT,
        /** The connection is reset before any answer: nothing runs. */
        CONNECTION_RESET
    }

    private final Random random;
    private final double probability;
    private final String method;
    private final Pattern path;
    private final List<Kind> kinds;
    private final Duration timeoutDelay;
    private final Map<Kind, AtomicLong> injected = new EnumMap<>(Kind.class);
    private int firstDraws; // guarded by random

    /**
     * @param seed         the seed of the draws
     * @param probability  the chance that a matching request is struck, 0 to 1 (1: an outage)
     * @param method       the method to strike ({@code "*"} for any)
     * @param pathRegex    the whole path to strike
     * @param kinds        the kinds to choose from
     * @param timeoutDelay how long a {@link Kind#TIMEOUT} holds its answer back (longer than the client's timeout)
     */
    public RandomFaults(
            long seed, double probability, String method, String pathRegex, List<Kind> kinds, Duration timeoutDelay) {
        if (probability < 0 || probability > 1 || kinds.isEmpty()) {
            throw new IllegalArgumentException("probability in [0, 1] and at least one kind");
        }
        this.random = new Random(seed);
        this.probability = probability;
        this.method = method;
        this.path = Pattern.compile(pathRegex);
        this.kinds = List.copyOf(kinds);
        this.timeoutDelay = Objects.requireNonNull(timeoutDelay);
        for (Kind kind : Kind.values()) {
            injected.put(kind, new AtomicLong());
        }
    }

    /** The kind that strikes this request, if any; counted as injected. */
    Optional<Kind> draw(String requestMethod, String requestPath) {
        if (!FaultRule.methodMatches(method, requestMethod)
                || !path.matcher(requestPath).matches()) {
            return Optional.empty();
        }
        Kind kind;
        synchronized (random) {
            if (firstDraws < kinds.size()) {
                kind = kinds.get(firstDraws++);
            } else if (random.nextDouble() >= probability) {
                return Optional.empty();
            } else {
                kind = kinds.get(random.nextInt(kinds.size()));
            }
        }
        injected.get(kind).incrementAndGet();
        return Optional.of(kind);
    }

    Duration timeoutDelay() {
        return timeoutDelay;
    }

    /** How many faults of each kind struck so far. */
    public Map<Kind, Long> injected() {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        injected.forEach((kind, count) -> counts.put(kind, count.get()));
        return counts;
    }
}
