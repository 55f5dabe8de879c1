package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import dev.crmsync.contract.StatusOutcome;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.event.ParsedMessage;
import dev.crmsync.synccore.observe.OutcomeLog;
import dev.crmsync.synccore.observe.OutcomeLog.RecordOutcome;
import dev.crmsync.synccore.observe.SyncMetrics;
import dev.crmsync.synccore.retry.RetryPolicy;
import dev.crmsync.synccore.state.LeaseToken;
import dev.crmsync.synccore.state.SyncStateStore;
import dev.crmsync.synccore.state.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on what became of each message of one batch: its decision in the batch response (and the
 * visibility of a failed one), the lease it still holds, its status record, its metrics, its one
 * log line and its outcome event.
 *
 * <p>Status records are written where they say something new, so that every message in a DLQ has a
 * current one without a write per receive: a permanent failure or a give-up (once per message), the
 * first failure of an event on its item, the first receive of a dependency wait, and the success or
 * skip of an event that had failed before (its item lists it, so no read is needed to know).
 *
 * <p>Retries end by time: a retryable failure is retried until the message's retry window,
 * counted from its first receive, is over; the last retry is timed to fall just after the window,
 * and a failure then — or on the receive the queue's backstop makes the last — gives up: the
 * message goes to the DLQ at once (visibility 0) with a status record saying why.
 *
 * <p>Outcome events follow the log line, with one exception: a permanent failure is told once, not on
 * each of the receives that carry its message to the DLQ.
 */
final class OutcomeReporter {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeReporter.class);

    private final String integration;
    private final SyncStateStore store;
    private final RetryPolicy retryPolicy;
    private final SyncMetrics metrics;
    private final OutcomeLog log;
    private final BatchOutcome outcome;
    private final BatchCredentials credentials;
    private final Clock clock;
    private final Duration retryWindow;
    private final int maxReceiveCount;
    private final RecentGiveUps recentGiveUps;
    private final OutcomeEvents.Batch events;

    OutcomeReporter(
            String integration,
            SyncStateStore store,
            RetryPolicy retryPolicy,
            SyncMetrics metrics,
            OutcomeLog log,
            BatchOutcome outcome,
            BatchCredentials credentials,
            Clock clock,
            Duration retryWindow,
            int maxReceiveCount,
            RecentGiveUps recentGiveUps,
            OutcomeEvents.Batch events) {
        this.integration = integration;
        this.store = store;
        this.retryPolicy = retryPolicy;
        this.metrics = metrics;
        this.log = log;
        this.outcome = outcome;
        this.credentials = credentials;
        this.clock = clock;
        this.retryWindow = retryWindow;
        this.maxReceiveCount = maxReceiveCount;
        this.recentGiveUps = recentGiveUps;
        this.events = events;
    }

    void report(PendingRecord record, RecordVerdict verdict) {
        // A record interrupted at the deadline must still release its lease and say why.
        Thread.interrupted();
        switch (verdict) {
            case RecordVerdict.Applied applied -> applied(record, applied);
            case RecordVerdict.Skipped skipped ->
                skipped(record, skipped.reason(), skipped.detail(), failedBefore(record, skipped));
            case RecordVerdict.Failed failed -> failed(record, failed);
            case RecordVerdict.Waiting waiting -> waiting(record, waiting.failure());
            case RecordVerdict.Deferred deferred -> retry(record, deferred.failure(), Optional.empty(), Backoff.SHORT);
            case RecordVerdict.AlreadyGaveUp gaveUp -> {
                // Back only to be counted toward the DLQ: its status was written when it gave up.
                outcome.fail(record.message(), 0);
                log.record(record.outcome(
                        "failed_permanent",
                        gaveUp.errorClass() + ": failed permanently moments ago; on its way to the DLQ"));
            }
        }
    }

    /** A message that is not a valid event: a permanent failure with no item to claim. */
    void invalid(SQSMessage message, Delivery delivery, ParsedMessage.Invalid invalid) {
        SyncFailure.Permanent failure = invalid.failure();
        // It fails the same way on every receive: one status record says why (again on the last receive, in case).
        if (delivery.isFirst() || delivery.isLast(maxReceiveCount)) {
            putStatus(
                    invalid.eventId(),
                    invalid.detailType(),
                    invalid.recordId(),
                    delivery,
                    StatusOutcome.FAILED_PERMANENT,
                    failure.errorClass(),
                    failure.reason());
            metrics.failed(failure.errorClass());
        }
        if (delivery.isFirst()) {
            events.invalid(delivery, invalid);
        }
        outcome.fail(message, 0);
        log.record(new RecordOutcome(
                invalid.eventId(),
                message.getMessageId(),
                invalid.detailType(),
                invalid.recordId(),
                delivery.receiveCount(),
                "failed_permanent",
                failure.errorClass() + ": " + failure.reason() + " (visible again in 0 s)"));
    }

    /** A valid event this integration cannot handle: permanent, and no item to claim either. */
    void unsupported(PendingRecord record, SyncFailure.Permanent failure) {
        if (record.delivery().isFirst() || record.delivery().isLast(maxReceiveCount)) {
            putStatus(record, StatusOutcome.FAILED_PERMANENT, failure.errorClass(), failure.reason());
            metrics.failed(failure.errorClass());
        }
        if (record.delivery().isFirst()) {
            events.failed(record, failure.errorClass(), false);
        }
        outcome.fail(record.message(), 0);
        log.record(record.outcome(
                "failed_permanent", failure.errorClass() + ": " + failure.reason() + " (visible again in 0 s)"));
    }

    private void skipped(PendingRecord record, String reason, String detail, boolean failedBefore) {
        outcome.succeed(record.message());
        metrics.skipped(reason);
        log.record(record.outcome("skipped_" + reason, detail));
        events.skipped(record, reason);
        if (failedBefore) {
            // A redrive or retry of an event that had failed: its status record must not keep saying so.
            putStatus(record, StatusOutcome.SKIPPED, null, reason + ": " + detail);
            try {
                store.forgetFailure(record.claimKey(), record.event().eventId());
            } catch (RuntimeException e) {
                LOG.warn(
                        "could not clear the failure note of event {}",
                        record.event().eventId(),
                        e);
            }
        }
    }

    private void applied(PendingRecord record, RecordVerdict.Applied applied) {
        outcome.succeed(record.message());
        metrics.succeeded(
                applied.targetLatency(), Duration.between(record.event().occurredAt(), clock.instant()));
        applied.remapped().ifPresent(remap -> {
            metrics.remapped();
            log.record(record.outcome(
                    "remapped",
                    "the vendor object " + remap.previousExternalId() + " was gone (" + remap.reason()
                            + "); now mapped to " + applied.externalId()));
        });
        log.record(record.outcome("applied", applied.externalId()));
        events.applied(record, applied.externalId());
        if (failedBefore(record, applied)) {
            putStatus(record, StatusOutcome.APPLIED, null, "applied " + applied.externalId());
        }
    }

    /**
     * The older events of this record that the batch coalesced into {@code record}: skipped as
     * superseded, with their status corrected where the item says they had failed.
     */
    void coalesced(PendingRecord record, RecordVerdict verdict) {
        for (PendingRecord older : record.supersededInBatch()) {
            skipped(
                    older,
                    "superseded",
                    "version " + record.event().version() + " of this record is in the same batch",
                    failedBefore(older, verdict));
        }
    }

    private static boolean failedBefore(PendingRecord record, RecordVerdict verdict) {
        return verdict.failedEventsOnItem().contains(record.event().eventId());
    }

    private void failed(PendingRecord record, RecordVerdict.Failed failed) {
        SyncFailure failure = redacted(failed.failure());
        switch (failure) {
            case SyncFailure.Retryable retryable -> {
                if (!retry(record, retryable, failed.heldLease(), failed.resumePoint(), Backoff.EXPONENTIAL)
                        || failedBefore(record, failed)) {
                    return;
                }
                // The first failure of this event on its item (the release just noted it there).
                putStatus(record, StatusOutcome.RETRYING, retryable.errorClass(), retryable.reason());
            }
            case SyncFailure.Permanent permanent -> giveUp(record, permanent, failed.heldLease());
            case SyncFailure.Unauthorized unauthorized ->
                giveUp(
                        record,
                        new SyncFailure.Permanent(unauthorized.errorClass(), unauthorized.reason()),
                        failed.heldLease());
        }
    }

    private void waiting(PendingRecord record, SyncFailure.Retryable failure) {
        if (retry(record, failure, Optional.empty(), Backoff.EXPONENTIAL)
                && record.delivery().isFirst()) {
            putStatus(record, StatusOutcome.RETRYING, failure.errorClass(), failure.reason());
            noteFailure(record);
        }
    }

    /**
     * Schedules the next receive of a retryable failure, or gives up when the retry window or the
     * receive backstop is spent. Releases the lease either way.
     *
     * @return true when the message will be retried, false when it gave up
     */
    private boolean retry(
            PendingRecord record, SyncFailure.Retryable failure, Optional<LeaseToken> heldLease, Backoff backoff) {
        return retry(record, failure, heldLease, Optional.empty(), backoff);
    }

    /** The same, storing {@code resumePoint} with the release for the next attempt to go on from. */
    private boolean retry(
            PendingRecord record,
            SyncFailure.Retryable failure,
            Optional<LeaseToken> heldLease,
            Optional<String> resumePoint,
            Backoff backoff) {
        Delivery delivery = record.delivery();
        Instant now = clock.instant();
        Instant windowEnd = delivery.firstReceivedAt().plus(retryWindow);
        if (delivery.isLast(maxReceiveCount) || !now.isBefore(windowEnd)) {
            Duration spent = Duration.between(delivery.firstReceivedAt(), now);
            giveUp(
                    record,
                    new SyncFailure.Permanent(
                            failure.errorClass(),
                            "gave up after " + delivery.receiveCount()
                                    + " receives in " + spent.toMinutes() + " min (retry window "
                                    + retryWindow.toMinutes() + " min): "
                                    + failure.reason()),
                    heldLease);
            return false;
        }
        int seconds = switch (backoff) {
            case SHORT -> retryPolicy.busySeconds(delivery.receiveCount(), failure.retryAfter());
            case EXPONENTIAL -> retryPolicy.visibilitySeconds(delivery.receiveCount(), failure.retryAfter());
        };
        // The last retry comes just after the window ends, not a whole backoff later.
        long untilWindowEnds = Math.ceilDiv(Duration.between(now, windowEnd).toMillis(), 1000L) + 1;
        seconds = (int) Math.min(seconds, untilWindowEnds);
        heldLease.ifPresent(lease -> release(record, lease, resumePoint));
        outcome.fail(record.message(), seconds);
        metrics.failed(failure.errorClass());
        log.record(record.outcome(
                "failed_retryable",
                failure.errorClass() + ": " + failure.reason() + " (visible again in " + seconds + " s)"));
        events.failed(record, failure.errorClass(), true);
        return true;
    }

    /**
     * Ends the message's retries: it goes to the DLQ at once (visibility 0). The give-up is noted on
     * its item, in the same write that releases a held lease, so its next receives are refused without
     * a vendor call; the status record is written once.
     */
    private void giveUp(PendingRecord record, SyncFailure.Permanent failure, Optional<LeaseToken> heldLease) {
        boolean first = true;
        try {
            first = heldLease.isPresent()
                            && store.giveUp(
                                    record.claimKey(),
                                    record.event().eventId(),
                                    record.delivery().receipt(),
                                    failure.errorClass(),
                                    heldLease)
                    || store.giveUp(
                            record.claimKey(),
                            record.event().eventId(),
                            record.delivery().receipt(),
                            failure.errorClass(),
                            Optional.empty());
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not note the give-up of event {}; its lease ends with the invocation",
                    record.event().eventId(),
                    e);
        }
        recentGiveUps.remember(record.delivery(), failure.errorClass());
        if (first) {
            putStatus(record, StatusOutcome.FAILED_PERMANENT, failure.errorClass(), failure.reason());
            metrics.failed(failure.errorClass());
            events.failed(record, failure.errorClass(), false);
        }
        outcome.fail(record.message(), 0);
        log.record(record.outcome(
                "failed_permanent", failure.errorClass() + ": " + failure.reason() + " (visible again in 0 s)"));
    }

    /**
     * How soon a message comes back: soon after a deferral (a lease ends within an invocation), later after a failure.
     */
    private enum Backoff {
        SHORT,
        EXPONENTIAL
    }

    private void release(PendingRecord record, LeaseToken lease, Optional<String> resumePoint) {
        try {
            store.release(record.claimKey(), lease, resumePoint);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not release the lease of event {}; it ends with the invocation",
                    record.event().eventId(),
                    e);
        }
    }

    /** Notes the event among its item's failed events, so its later success updates its status. */
    private void noteFailure(PendingRecord record) {
        try {
            store.noteFailure(record.claimKey(), record.event().eventId());
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not note the failure of event {} on its item",
                    record.event().eventId(),
                    e);
        }
    }

    private SyncFailure redacted(SyncFailure failure) {
        return switch (failure) {
            case SyncFailure.Retryable r ->
                new SyncFailure.Retryable(r.errorClass(), credentials.redact(r.reason()), r.retryAfter());
            case SyncFailure.Permanent p -> new SyncFailure.Permanent(p.errorClass(), credentials.redact(p.reason()));
            case SyncFailure.Unauthorized u -> new SyncFailure.Unauthorized(credentials.redact(u.reason()));
        };
    }

    private void putStatus(PendingRecord record, StatusOutcome status, String errorClass, String reason) {
        putStatus(
                record.event().eventId(),
                record.event().detailType(),
                record.event().recordId(),
                record.delivery(),
                status,
                errorClass,
                reason);
    }

    private void putStatus(
            String eventId,
            String detailType,
            String recordId,
            Delivery delivery,
            StatusOutcome status,
            String errorClass,
            String reason) {
        try {
            store.putStatus(new SyncStatus(
                    integration,
                    eventId,
                    detailType,
                    recordId,
                    delivery.messageId(),
                    status.wireName(),
                    delivery.receiveCount(),
                    errorClass,
                    reason == null ? null : credentials.redact(reason),
                    clock.instant()));
        } catch (RuntimeException e) {
            // Never silent: on-call would find no record for a message in the DLQ.
            metrics.statusWriteFailed();
            LOG.error("could not write the status record of event {}: {}", eventId, Redaction.describe(e, credentials));
        }
    }
}
