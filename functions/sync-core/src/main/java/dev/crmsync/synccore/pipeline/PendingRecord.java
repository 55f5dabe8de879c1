package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.observe.OutcomeLog.RecordOutcome;
import java.util.List;

/**
 * One valid event of the batch on its way through the pipeline.
 *
 * @param claimKey          the state item it claims: its record, or its action's business key
 * @param supersededInBatch older events of the same record in this batch, coalesced into this one
 */
record PendingRecord(SQSMessage message, Delivery delivery, CrmEvent event, Operation operation, String claimKey,
                     List<PendingRecord> supersededInBatch) {
    PendingRecord(SQSMessage message, Delivery delivery, CrmEvent event, Operation operation, String claimKey) {
        this(message, delivery, event, operation, claimKey, List.of());
    }

    /** This record with the older events of its record coalesced into it. */
    PendingRecord superseding(List<PendingRecord> older) {
        return new PendingRecord(message, delivery, event, operation, claimKey, List.copyOf(older));
    }

    /** A one-time action (claimed by business key) rather than a record's state. */
    boolean isAction() {
        return operation instanceof Operation.Action;
    }

    RecordOutcome outcome(String outcome, String reason) {
        return new RecordOutcome(event.eventId(), message.getMessageId(), event.detailType(), event.recordId(),
                delivery.receiveCount(), outcome, reason);
    }
}
