package dev.crmsync.synccore.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The partition keys of the state table, namespaced by integration so one table serves all of
 * them: record items (the CRM ↔ vendor mapping), action items (at-most-once effects) and status
 * items (why an event failed).
 *
 * <p>Every id that comes from an event is bounded: DynamoDB refuses a partition key over 2,048
 * bytes, and an event id is read (for the status record) before the schema has checked it. An id
 * longer than {@link #MAX_ID_CHARS} keeps its start and ends in a SHA-256 of the whole, so keys stay
 * distinct and a hostile id cannot make a write fail.
 */
public final class StateKey {
    static final int MAX_ID_CHARS = 256;
    private static final int KEPT_PREFIX = 128;

    private StateKey() {}

    public static String record(String integration, String object, String recordId) {
        return integration + "#record#" + bounded(object) + "#" + bounded(recordId);
    }

    public static String action(String integration, String action, String businessKey) {
        return integration + "#action#" + bounded(action) + "#" + bounded(businessKey);
    }

    public static String status(String integration, String eventId) {
        return integration + "#status#" + bounded(eventId);
    }

    /** {@code id} itself when short enough, else its first characters, '~' and a hash of the whole. */
    static String bounded(String id) {
        if (id.length() <= MAX_ID_CHARS) {
            return id;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return id.substring(0, KEPT_PREFIX) + "~" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
