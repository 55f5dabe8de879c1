package dev.crmsync.synccore.connector;

import dev.crmsync.contract.ErrorClass;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What a connector reports for one operation. */
public sealed interface SyncResult {
    /**
     * The vendor holds the state (or performed the action).
     *
     * @param externalId    the vendor's id of the synced object (customer, invoice, member …)
     * @param externalIds   further vendor ids worth keeping in the mapping (e.g. the invoice item)
     * @param keyGeneration the generation of outbound idempotency keys the connector ended on; the
     *                      commit stores the larger of it and the one the request carried
     * @param remapped      set when the mapped vendor object was gone (deleted by a person) and the
     *                      connector created a new one: the pipeline logs and counts it
     * @param liveKeys      the vendor keys of this record still live after this operation (of the
     *                      request's {@link SyncRequest#liveKeys}, those the connector did not remove);
     *                      the commit stores them, so empty forgets them all
     */
    record Applied(
            String externalId,
            Map<String, String> externalIds,
            int keyGeneration,
            Optional<Remapped> remapped,
            Set<String> liveKeys)
            implements SyncResult {
        public Applied {
            liveKeys = Set.copyOf(liveKeys);
        }

        public Applied(
                String externalId, Map<String, String> externalIds, int keyGeneration, Optional<Remapped> remapped) {
            this(externalId, externalIds, keyGeneration, remapped, Set.of());
        }

        public Applied(String externalId) {
            this(externalId, Map.of());
        }

        public Applied(String externalId, Map<String, String> externalIds) {
            this(externalId, externalIds, 0, Optional.empty());
        }
    }

    /**
     * Nothing to send for this state, for a stated reason (e.g. a contact without an e-mail has no
     * audience member). The version still counts as handled, so an older event arriving later is
     * stale; the mapping is kept as it was.
     */
    record NotApplicable(String reason) implements SyncResult {}

    /** The vendor object a record was mapped to no longer existed; a new one replaced it. */
    record Remapped(String previousExternalId, String reason) {}

    /**
     * The operation did not succeed.
     *
     * @param resumePoint for a retryable failure, where the connector stopped in a lookup its next attempt can
     *                    go on from (opaque to the pipeline, e.g. the oldest message of a history already
     *                    examined): the release of the lease stores it, and the next claim hands it over in
     *                    {@link SyncRequest#resumePoint} and deletes it in the same write, so an attempt that
     *                    dies (perhaps after reaching the vendor) leaves none and its successor starts over
     */
    record Failed(SyncFailure failure, Optional<String> resumePoint) implements SyncResult {
        public Failed(SyncFailure failure) {
            this(failure, Optional.empty());
        }
    }

    static SyncResult retryable(String errorClass, String reason) {
        return new Failed(new SyncFailure.Retryable(errorClass, reason));
    }

    static SyncResult permanent(String errorClass, String reason) {
        return new Failed(new SyncFailure.Permanent(errorClass, reason));
    }

    static SyncResult retryable(ErrorClass errorClass, String reason) {
        return new Failed(new SyncFailure.Retryable(errorClass, reason));
    }

    static SyncResult permanent(ErrorClass errorClass, String reason) {
        return new Failed(new SyncFailure.Permanent(errorClass, reason));
    }
}
