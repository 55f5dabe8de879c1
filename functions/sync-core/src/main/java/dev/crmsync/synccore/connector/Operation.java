package dev.crmsync.synccore.connector;

import java.util.Map;
import java.util.Set;

/**
 * What an event asks a connector to do, which decides what the pipeline claims first: the
 * record (state transfer: apply only if newer) or the action's business key (at most once).
 */
public sealed interface Operation {
    /**
     * Bring the vendor's copy of this CRM record up to the event's state.
     *
     * @param vendorKeys the vendor keys this event may write (e.g. the subscriber hash of the
     *                   event's e-mail), for a vendor where one record can own several objects over
     *                   time: the claim adds them to the record's live keys before any vendor call,
     *                   so a newer event knows every object an interrupted attempt may have left
     */
    record SyncRecord(String object, String recordId, Set<String> vendorKeys) implements Operation {
        public SyncRecord {
            vendorKeys = Set.copyOf(vendorKeys);
        }

        public SyncRecord(String object, String recordId) {
            this(object, recordId, Set.of());
        }
    }

    /**
     * A one-time effect keyed by its business key, never by the event, so that two different
     * events asking for the same action (e.g. an invoice for deal 42) produce it once.
     *
     * @param terms what the action is made of, derived from this event (e.g. an invoice's amount and
     *              currency): the first claim of the action stores them and every later claim gets
     *              those back, so the action's parameters are the same whichever event performs it
     *              (a vendor that keeps idempotency keys refuses other parameters under the same key);
     *              empty when the event has none to offer (it is then invalid for this action)
     */
    record Action(String action, String businessKey, Map<String, String> terms) implements Operation {
        public Action {
            terms = Map.copyOf(terms);
        }

        public Action(String action, String businessKey) {
            this(action, businessKey, Map.of());
        }
    }

    /** This integration does not handle the event (its rule should not have routed it). */
    record Unsupported(String reason) implements Operation {}
}
