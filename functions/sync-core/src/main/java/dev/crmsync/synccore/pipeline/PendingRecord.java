package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.observe.OutcomeLog.RecordOutcome;

/**
 * One valid event of the batch on its way through the pipeline.
 *
 * @param claimKey the state item it claims: its record, or its action's business key
 */
record PendingRecord(SQSMessage message, Delivery delivery, CrmEvent event, Operation operation, String claimKey) {
    /** A one-time action (claimed by business key) rather than a record's state. */
    boolean isAction() {
        return operation instanceof Operation.Action;
    }

    RecordOutcome outcome(String outcome, String reason) {
        return new RecordOutcome(event.eventId(), message.getMessageId(), event.detailType(), event.recordId(),
                delivery.receiveCount(), outcome, reason);
    }
}
