package dev.crmsync.synccore.connector;

/**
 * The idempotency key a connector sends with a vendor write. It names the logical operation
 * (integration, operation, business key, and for state updates the record version) and never
 * the attempt or the event, so that every retry — after a timeout, a crash, a redrive, or from
 * a second event asking for the same action — is recognised by the vendor as the same request.
 */
public final class OutboundIdempotencyKey {
    private static final int MAX_LENGTH = 255;

    private OutboundIdempotencyKey() {}

    /** e.g. {@code of("billing", "invoice", "006A000002xyzQR")} → {@code billing:invoice:006A000002xyzQR}. */
    public static String of(String integration, String operation, String businessKey) {
        return bounded(integration + ":" + operation + ":" + businessKey);
    }

    /** A state update of one record version: {@code billing:customer-update:001A…:v17}. */
    public static String ofVersion(String integration, String operation, String recordId, long version) {
        return bounded(integration + ":" + operation + ":" + recordId + ":v" + version);
    }

    private static String bounded(String key) {
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("idempotency key longer than " + MAX_LENGTH + " characters: " + key.substring(0, 40) + "…");
        }
        return key;
    }
}
