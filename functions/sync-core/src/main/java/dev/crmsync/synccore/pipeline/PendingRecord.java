package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.observe.OutcomeLog.RecordOutcome;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One valid event of the batch on its way through the pipeline.
 *
 * @param claimKey          the state item it claims: its record, or its action's business key
 * @param supersededInBatch older events of the same record in this batch, coalesced into this one
 */
record PendingRecord(
        SQSMessage message,
        Delivery delivery,
        CrmEvent event,
        Operation operation,
        String claimKey,
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

    /** The action's terms its claim stores if it is the first, or none for a record. */
    Map<String, String> actionTerms() {
        return operation instanceof Operation.Action action ? action.terms() : Map.of();
    }

    /** The vendor keys this event may write, which its record claim adds to the live ones. */
    Set<String> vendorKeys() {
        return operation instanceof Operation.SyncRecord record ? record.vendorKeys() : Set.of();
    }

    RecordOutcome outcome(String outcome, String reason) {
        return new RecordOutcome(
                event.eventId(),
                message.getMessageId(),
                event.detailType(),
                event.recordId(),
                delivery.receiveCount(),
                outcome,
                reason);
    }
}
