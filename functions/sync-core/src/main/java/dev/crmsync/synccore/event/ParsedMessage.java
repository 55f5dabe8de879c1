package dev.crmsync.synccore.event;

import dev.crmsync.synccore.connector.SyncFailure;

/** What became of one SQS body at the edge: a valid event, or a classified reason why not. */
public sealed interface ParsedMessage {
    record Valid(CrmEvent event) implements ParsedMessage {}

    /**
     * @param eventId the event id when it could be read (for the status record), else the SQS message id
     */
    record Invalid(String eventId, String detailType, String recordId, SyncFailure.Permanent failure)
            implements ParsedMessage {}
}
