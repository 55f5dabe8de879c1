package dev.crmsync.synccore.state;

/**
 * The partition keys of the state table, namespaced by integration so one table serves all of
 * them: record items (the CRM ↔ vendor mapping), action items (at-most-once effects) and status
 * items (why an event failed).
 */
public final class StateKey {
    private StateKey() {}

    public static String record(String integration, String object, String recordId) {
        return integration + "#record#" + object + "#" + recordId;
    }

    public static String action(String integration, String action, String businessKey) {
        return integration + "#action#" + action + "#" + businessKey;
    }

    public static String status(String integration, String eventId) {
        return integration + "#status#" + eventId;
    }
}
