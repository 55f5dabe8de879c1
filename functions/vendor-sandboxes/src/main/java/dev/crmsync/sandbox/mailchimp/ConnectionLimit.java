package dev.crmsync.sandbox.mailchimp;

import dev.crmsync.sandbox.SandboxRequest;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Mailchimp's limit of simultaneous connections per account: requests in progress are counted, and
 * one past the limit is refused. Keeps the highest count seen for tests.
 */
final class ConnectionLimit {
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile int limit = MailchimpSandbox.DEFAULT_CONNECTION_LIMIT;

    /** {@code served} while {@code request} counts as in progress, or {@code refused} when it is one too many. */
    <T> T whileCounted(SandboxRequest request, Supplier<T> served, Supplier<T> refused) {
        int now = inFlight.incrementAndGet();
        try {
            peakInFlight.accumulateAndGet(now, Math::max);
            // The latency is spent while the connection counts, so slow answers fill the limit.
            request.awaitLatency();
            return now > limit ? refused.get() : served.get();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    int limit() {
        return limit;
    }

    void limit(int limit) {
        this.limit = limit;
    }

    int peak() {
        return peakInFlight.get();
    }

    /** Requests still in progress keep their count. */
    void reset() {
        peakInFlight.set(0);
        limit = MailchimpSandbox.DEFAULT_CONNECTION_LIMIT;
    }
}
