package dev.crmsync.synccore.state;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who holds a lease: one attempt of one event. The nonce is new for every attempt, so a straggler
 * of an earlier attempt of the same event (a thread abandoned at the deadline, a container that
 * thaws later) can neither commit nor release a later attempt's lease: both are conditioned on the
 * nonce.
 *
 * @param eventId the event this attempt applies (what on-call and the classification read)
 * @param nonce   unique per attempt
 */
public record LeaseToken(String eventId, String nonce) {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token for a new attempt of {@code eventId}. */
    public static LeaseToken newAttempt(String eventId) {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return new LeaseToken(eventId, HexFormat.of().formatHex(bytes));
    }
}
