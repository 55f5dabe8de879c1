package dev.crmsync.billing;

import dev.crmsync.synccore.connector.VendorHttp;
import java.util.Optional;

/**
 * A Stripe write under an idempotency key that may be spent: Stripe replays a stored 5xx for 24 h
 * and refuses a key it saw with other parameters, so such a write moves on to its record's or
 * action's next key generation ({@link KeyGeneration}) once the earlier try is known to have left
 * no effect.
 */
final class KeyedWrites {
    /** Generations one attempt moves through at most; each step answers a replayed 5xx. */
    private static final int MAX_GENERATION_STEPS = 5;

    private KeyedWrites() {}

    /** A keyed Stripe write at one key generation. */
    @FunctionalInterface
    interface Write<T> {
        T at(int generation) throws VendorHttp.CallFailed;
    }

    /** What an earlier try of a write left in Stripe, if anything. */
    @FunctionalInterface
    interface Effect<T> {
        Optional<T> find() throws VendorHttp.CallFailed;
    }

    /**
     * Sends {@code write} under the current key generation. When Stripe replays a 5xx it stored
     * under that key, or refuses the key because an earlier try sent it with other parameters, the
     * effect of the earlier try is looked for first (Stripe may have done the work); only when there
     * is none is the write sent again under the next generation, and so on while the key is spent.
     */
    static <T> T send(KeyGeneration keys, Write<T> write, Effect<T> earlier) throws VendorHttp.CallFailed {
        try {
            return write.at(keys.current());
        } catch (StripeClient.ReplayedServerError | StripeClient.KeyUsedWithOtherParameters spent) {
            Optional<T> done = earlier.find();
            if (done.isPresent()) {
                return done.get();
            }
            for (int step = 1; ; step++) {
                keys.advance();
                try {
                    return write.at(keys.current());
                } catch (StripeClient.ReplayedServerError | StripeClient.KeyUsedWithOtherParameters again) {
                    if (step == MAX_GENERATION_STEPS) {
                        throw again;
                    }
                }
            }
        }
    }
}
