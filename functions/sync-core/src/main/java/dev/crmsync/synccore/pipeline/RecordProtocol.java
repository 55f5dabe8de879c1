package dev.crmsync.synccore.pipeline;

import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.state.Claim;
import dev.crmsync.synccore.state.LeaseToken;
import dev.crmsync.synccore.state.SyncStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The per-record protocol, where the invariants live: claim → apply → (one credentials refresh
 * after a 401) → commit. It runs on the calling thread, decides nothing about SQS, and reports
 * what happened as a {@link RecordVerdict}; the lease it may still hold travels in the verdict, so
 * whoever reports the failure releases exactly this attempt's lease.
 */
final class RecordProtocol {
    private final Connector connector;
    private final Clock clock;
    private final String secretId;
    private final Duration vendorTimeout;

    RecordProtocol(Connector connector, Clock clock, String secretId, Duration vendorTimeout) {
        this.connector = connector;
        this.clock = clock;
        this.secretId = secretId;
        this.vendorTimeout = vendorTimeout;
    }

    RecordVerdict run(
            PendingRecord record,
            SyncStateStore store,
            InvocationInstants instants,
            Map<RecordRef, String> mappings,
            BatchCredentials credentials) {
        CrmEvent event = record.event();
        // A record this event needs is known missing before anything is claimed: wait without writing.
        Optional<RecordRef> missing = connector.dependencies(event).stream()
                .filter(ref -> !mappings.containsKey(ref))
                .findFirst();
        if (missing.isPresent()) {
            return new RecordVerdict.Waiting(new SyncFailure.Retryable(
                    ErrorClass.DEPENDENCY_MISSING,
                    missing.get().object() + " " + missing.get().recordId() + " is not synced to "
                            + connector.integration() + " yet; this event waits until it is"));
        }

        LeaseToken lease = LeaseToken.newAttempt(event.eventId());
        SyncStateStore.Receipt receipt = record.delivery().receipt();
        Claim claim = record.isAction()
                ? store.claimAction(record.claimKey(), lease, instants.leaseEnd(), receipt, record.actionTerms())
                : store.claimRecord(
                        record.claimKey(), lease, event.version(), instants.leaseEnd(), receipt, record.vendorKeys());
        return switch (claim) {
            case Claim.Duplicate d ->
                new RecordVerdict.Skipped(
                        "duplicate", "already applied by event " + d.appliedEventId(), d.failedEvents());
            case Claim.Stale s ->
                new RecordVerdict.Skipped(
                        "stale", "version " + s.appliedVersion() + " was already applied", s.failedEvents());
            case Claim.Superseded s ->
                new RecordVerdict.Skipped(
                        "superseded",
                        "event " + s.leaseEvent() + " (version " + s.leaseVersion() + ") is applying this record",
                        s.failedEvents());
            case Claim.Overtaken o ->
                new RecordVerdict.Skipped(
                        "superseded",
                        "event " + o.attemptedEvent() + " (version " + o.attemptedVersion()
                                + ") may have reached the vendor and is retried until it is applied",
                        o.failedEvents());
            case Claim.Busy b ->
                new RecordVerdict.Deferred(new SyncFailure.Retryable(
                        ErrorClass.RECORD_BUSY,
                        "event " + b.leaseEvent() + " holds this "
                                + (record.isAction() ? "action" : "record (version " + b.leaseVersion() + ")")
                                + " until " + b.leaseUntil(),
                        // when the holder's lease ends: it may have died holding it
                        Optional.of(Duration.between(clock.instant(), b.leaseUntil())
                                .plusSeconds(1))));
            case Claim.FailedPermanently f -> new RecordVerdict.AlreadyGaveUp(f.errorClass());
            case Claim.Claimed c -> applyClaimed(record, store, lease, c, instants, mappings, credentials);
        };
    }

    private RecordVerdict applyClaimed(
            PendingRecord record,
            SyncStateStore store,
            LeaseToken lease,
            Claim.Claimed claim,
            InvocationInstants instants,
            Map<RecordRef, String> mappings,
            BatchCredentials credentials) {
        CrmEvent event = record.event();
        var failedBefore = claim.failedEvents();
        Optional<LeaseToken> held = Optional.of(lease);
        SyncRequest request = new SyncRequest(
                event,
                record.operation(),
                claim.externalId(),
                claim.externalIds(),
                record.delivery().receiveCount() > 1 || claim.earlierAttemptUncommitted(),
                claim.keyGeneration(),
                mappings,
                null,
                new CallBudget(instants.callsEnd(), vendorTimeout, clock),
                claim.actionTerms(),
                claim.liveKeys(),
                claim.resumePoint());
        Instant started = clock.instant();
        SyncResult result;
        try {
            result = applyWithCredentials(request, credentials);
        } catch (CredentialsUnavailable e) {
            return new RecordVerdict.Failed(
                    new SyncFailure.Retryable(ErrorClass.CREDENTIALS_UNAVAILABLE, e.getMessage()), held, failedBefore);
        } catch (RuntimeException e) {
            // A connector must not throw, so an exception is a bug meeting an input or an answer it did
            // not expect, and a retry would only meet it again — for the whole retry window, with the
            // vendor calls before it each time. Permanent: the DLQ at once, with a status record. Any
            // call made before the throw may have reached the vendor: the give-up keeps this event among
            // the item's failed events, so the next attempt (a redrive) is told to look for its effect.
            return new RecordVerdict.Failed(
                    new SyncFailure.Permanent(
                            ErrorClass.INTERNAL,
                            Redaction.describe(e, credentials)
                                    + " (the connector threw; a vendor call before it may have reached the vendor)"),
                    held,
                    failedBefore);
        }
        Duration latency = Duration.between(started, clock.instant());
        return switch (result) {
            case SyncResult.Failed failed ->
                new RecordVerdict.Failed(failed.failure(), held, failedBefore, failed.resumePoint());
            case SyncResult.NotApplicable notApplicable -> {
                // the version is handled (an older event is stale from now on); the mapping stays as it was
                var handled = new SyncStateStore.Applied(null, Map.of(), claim.keyGeneration());
                boolean committed = record.isAction()
                        ? store.commitAction(record.claimKey(), lease, handled)
                        : store.commitRecord(record.claimKey(), lease, event.version(), handled);
                yield committed
                        ? new RecordVerdict.Skipped("not_applicable", notApplicable.reason(), failedBefore)
                        : leaseLost(failedBefore);
            }
            case SyncResult.Applied applied -> {
                var stored = new SyncStateStore.Applied(
                        applied.externalId(),
                        applied.externalIds(),
                        Math.max(claim.keyGeneration(), applied.keyGeneration()),
                        applied.liveKeys());
                boolean committed = record.isAction()
                        ? store.commitAction(record.claimKey(), lease, stored)
                        : store.commitRecord(record.claimKey(), lease, event.version(), stored);
                yield committed
                        ? new RecordVerdict.Applied(applied.externalId(), applied.remapped(), latency, failedBefore)
                        : leaseLost(failedBefore);
            }
        };
    }

    /** The commit found the lease no longer this attempt's: retryable; the retry's claim skips or redoes the work. */
    private static RecordVerdict leaseLost(Set<String> failedEvents) {
        return new RecordVerdict.Failed(
                new SyncFailure.Retryable(
                        ErrorClass.LEASE_LOST,
                        "the lease ran out before the commit; the retry will find the vendor's state"),
                Optional.empty(),
                failedEvents);
    }

    /** One call with the batch's credentials and, after a 401, one more with the secret re-read. */
    private SyncResult applyWithCredentials(SyncRequest request, BatchCredentials credentials) {
        if (credentials.knownRejected().isPresent()) {
            return rejectedForGood("another record of this batch found it out");
        }
        Credentials first = credentialsOrThrow(credentials::current);
        SyncResult result = connector.apply(request.withCredentials(first));
        if (!(result instanceof SyncResult.Failed(SyncFailure.Unauthorized rejected, var unused))) {
            return result;
        }
        Credentials refreshed = credentialsOrThrow(() -> credentials.afterRejection(first));
        result = connector.apply(request.withCredentials(refreshed));
        if (result instanceof SyncResult.Failed(SyncFailure.Unauthorized again, var noResumePoint)) {
            credentials.rejectedForGood(refreshed);
            return rejectedForGood(again.reason());
        }
        return result;
    }

    private SyncResult rejectedForGood(String detail) {
        return SyncResult.permanent(
                ErrorClass.UNAUTHORIZED,
                "the credentials of secret " + secretId + " were refused also after re-reading it: " + detail);
    }

    private static Credentials credentialsOrThrow(Supplier<Credentials> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            // IntegrationSecret's messages name the secret and what is wrong, never a value.
            throw new CredentialsUnavailable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The secret could not be read or parsed. */
    private static final class CredentialsUnavailable extends RuntimeException {
        CredentialsUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
