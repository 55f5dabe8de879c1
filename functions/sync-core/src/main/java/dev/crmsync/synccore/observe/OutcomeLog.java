package dev.crmsync.synccore.observe;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per record outcome (logs are billed per byte), each carrying the event id,
 * integration, record, detail-type, attempt and outcome as structured fields, so that on-call
 * finds an event's fate by searching its id.
 */
public final class OutcomeLog {
    private static final Logger LOG = LoggerFactory.getLogger("crmsync.outcome");

    private final String integration;

    public OutcomeLog(String integration) {
        this.integration = integration;
    }

    public void record(RecordOutcome outcome) {
        // The first three fill the message; the structured entries become JSON fields.
        Object[] args = {
            outcome.outcome(),
            outcome.recordId() == null ? "(unknown record)" : outcome.recordId(),
            outcome.reason(),
            entry("integration", integration),
            entry("eventId", outcome.eventId()),
            entry("messageId", outcome.messageId()),
            entry("detailType", outcome.detailType()),
            entry("recordId", outcome.recordId()),
            entry("attempt", outcome.attempt()),
            entry("outcome", outcome.outcome())
        };
        if (outcome.outcome().startsWith("failed")) {
            LOG.warn("record {} {}: {}", args);
        } else {
            LOG.info("record {} {}: {}", args);
        }
    }

    /**
     * @param outcome applied | skipped_stale | skipped_duplicate | skipped_superseded | skipped_echo |
     *                failed_retryable | failed_permanent
     */
    public record RecordOutcome(
            String eventId,
            String messageId,
            String detailType,
            String recordId,
            int attempt,
            String outcome,
            String reason) {}
}
