package dev.crmsync.synccore.connector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The idempotency key a connector sends with a vendor write. It names the logical operation
 * (integration, operation, business key, and for state updates the record version) and never
 * the attempt or the event, so that every retry — after a timeout, a crash, a redrive, or from
 * a second event asking for the same action — is recognised by the vendor as the same request.
 *
 * <p>A key also carries its <em>generation</em> once that is above 0 ({@code …:g1}). A vendor that
 * stores a failed answer under a key (Stripe keeps a 500 for 24 h) replays it to every retry; a
 * connector that has made sure the failed write left no effect moves the record to the next
 * generation, whose keys the vendor has never seen. Generation 0 has no suffix, so keys sent
 * before generations existed stay the same.
 */
public final class OutboundIdempotencyKey {
    private static final int MAX_LENGTH = 255;

    private OutboundIdempotencyKey() {}

    /** e.g. {@code of("billing", "invoice", "006A000002xyzQR")} → {@code billing:invoice:006A000002xyzQR}. */
    public static String of(String integration, String operation, String businessKey) {
        return of(integration, operation, businessKey, 0);
    }

    /** The same at a key generation: {@code billing:invoice:006A000002xyzQR:g1} (no suffix at 0). */
    public static String of(String integration, String operation, String businessKey, int generation) {
        return bounded(integration + ":" + operation + ":" + businessKey + suffix(generation));
    }

    /** A state update of one record version: {@code billing:customer-update:001A…:v17}. */
    public static String ofVersion(String integration, String operation, String recordId, long version) {
        return ofVersion(integration, operation, recordId, version, 0);
    }

    /** The same at a key generation: {@code billing:customer-update:001A…:v17:g2} (no suffix at 0). */
    public static String ofVersion(
            String integration, String operation, String recordId, long version, int generation) {
        return bounded(integration + ":" + operation + ":" + recordId + ":v" + version + suffix(generation));
    }

    private static String suffix(int generation) {
        if (generation < 0) {
            throw new IllegalArgumentException("a key generation is 0 or more, not " + generation);
        }
        return generation == 0 ? "" : ":g" + generation;
    }

    /** Vendors cap key length (Stripe: 255); a longer key keeps its start and ends in a hash of the whole. */
    private static String bounded(String key) {
        if (key.length() <= MAX_LENGTH) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            String hash = HexFormat.of().formatHex(digest);
            return key.substring(0, MAX_LENGTH - hash.length() - 1) + "#" + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
