package dev.crmsync.synccore.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The messages this container gave up on recently. A message that gave up comes back at once
 * (visibility 0) until SQS moves it to the DLQ; a receive that lands here again is refused from
 * memory, with no state read or write. Bounded; receives on other containers are refused by the
 * state item instead (one refused conditional write).
 */
final class RecentGiveUps {
    private static final int CAPACITY = 10_000;

    private final Clock clock;
    private final Duration memory;
    private final Map<String, GaveUp> byMessage = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, GaveUp> eldest) {
            return size() > CAPACITY;
        }
    };

    RecentGiveUps(Clock clock, Duration memory) {
        this.clock = clock;
        this.memory = memory;
    }

    synchronized void remember(Delivery delivery, String errorClass) {
        byMessage.put(delivery.messageId(), new GaveUp(delivery.receiveCount(), clock.instant(), errorClass));
    }

    /**
     * The error class this message gave up with, if it did so recently on an earlier receive of
     * this delivery. A redrive starts the receive count and the first receive again, and is tried
     * again: also where the server kept the message id (ElasticMQ), and the redriven message has
     * been received more often than the one that gave up.
     */
    synchronized Optional<String> of(Delivery delivery) {
        GaveUp gaveUp = byMessage.get(delivery.messageId());
        if (gaveUp == null
                || gaveUp.receiveCount() >= delivery.receiveCount()
                || gaveUp.at().isBefore(clock.instant().minus(memory))
                || gaveUp.at().isBefore(delivery.firstReceivedAt())) {
            return Optional.empty();
        }
        return Optional.of(gaveUp.errorClass());
    }

    private record GaveUp(int receiveCount, Instant at, String errorClass) {}
}
