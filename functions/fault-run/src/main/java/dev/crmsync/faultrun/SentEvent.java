package dev.crmsync.faultrun;

/**
 * One event of the workload as the CRM sent it: what the judge needs to know about it without
 * parsing the body again.
 *
 * @param eventId     the event id ({@code detail.eventId}); for a malformed body, a name of its own
 * @param detailType  the detail-type its envelope carries (what the rules route by)
 * @param record      the CRM record it changes (null for a malformed body)
 * @param version     the record's version it carries
 * @param change      what it asks for
 * @param body        the SQS body: the EventBridge envelope, or a body that is not JSON
 */
record SentEvent(String eventId, String detailType, CrmRecord record, long version, Change change, String body) {

    /** What an event asks for; the invalid ones must end in a DLQ with a status item. */
    enum Change {
        UPSERT,
        DELETE,
        CLOSE,
        /** Not JSON: reaches a queue only by mistake, and must be dead-lettered with a status item. */
        MALFORMED,
        /** JSON whose detail breaks its schema. */
        SCHEMA_INVALID;

        boolean valid() {
            return this == UPSERT || this == DELETE || this == CLOSE;
        }
    }

    boolean valid() {
        return change.valid();
    }
}
