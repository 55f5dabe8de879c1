package dev.crmsync.synccore.connector;

import java.util.Map;

/** What a connector reports for one operation. */
public sealed interface SyncResult {
    /**
     * The vendor holds the state (or performed the action).
     *
     * @param externalId  the vendor's id of the synced object (customer, invoice, member …)
     * @param externalIds further vendor ids worth keeping in the mapping (e.g. the invoice item)
     */
    record Applied(String externalId, Map<String, String> externalIds) implements SyncResult {
        public Applied(String externalId) {
            this(externalId, Map.of());
        }
    }

    record Failed(SyncFailure failure) implements SyncResult {}

    static SyncResult retryable(String errorClass, String reason) {
        return new Failed(new SyncFailure.Retryable(errorClass, reason));
    }

    static SyncResult permanent(String errorClass, String reason) {
        return new Failed(new SyncFailure.Permanent(errorClass, reason));
    }
}
