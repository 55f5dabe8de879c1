package dev.crmsync.synccore.connector;

/**
 * What an event asks a connector to do, which decides what the pipeline claims first: the
 * record (state transfer: apply only if newer) or the action's business key (at most once).
 */
public sealed interface Operation {
    /** Bring the vendor's copy of this CRM record up to the event's state. */
    record SyncRecord(String object, String recordId) implements Operation {}

    /**
     * A one-time effect keyed by its business key, never by the event, so that two different
     * events asking for the same action (e.g. an invoice for deal 42) produce it once.
     */
    record Action(String action, String businessKey) implements Operation {}

    /** This integration does not handle the event (its rule should not have routed it). */
    record Unsupported(String reason) implements Operation {}
}
