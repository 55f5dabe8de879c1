package dev.crmsync.synccore.pipeline;

import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.state.StateKey;
import dev.crmsync.synccore.state.SyncStateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the admitted groups of one batch: the mappings they depend on in one read, then the groups
 * concurrently on virtual threads, bounded per integration, so a batch costs about its slowest vendor
 * call; the records of one group in order, so they never race each other. No record starts after
 * the invocation's last start, and the batch stops waiting at its stop-waiting instant: whatever is
 * still running then is reported failed by the batch's outcome, and its lease ends with the invocation.
 */
final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    private final RecordProtocol protocol;
    private final Connector connector;
    private final int maxConcurrency;
    private final Clock clock;

    BatchRunner(RecordProtocol protocol, Connector connector, int maxConcurrency, Clock clock) {
        this.protocol = protocol;
        this.connector = connector;
        this.maxConcurrency = Math.max(1, maxConcurrency);
        this.clock = clock;
    }

    void run(
            List<List<PendingRecord>> groups,
            InvocationInstants instants,
            SyncStateStore store,
            BatchCredentials credentials,
            OutcomeReporter reporter) {
        Map<RecordRef, String> mappings = readMappings(groups, store, credentials, reporter);
        // Virtual threads do not inherit the invocation's logging context (request id, cold start).
        Map<String, String> loggingContext = MDC.getCopyOfContextMap();
        Semaphore permits = new Semaphore(maxConcurrency);
        List<Future<?>> running = new ArrayList<>();
        // Not try-with-resources: close() would wait for a vendor call that outlives the deadline.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (List<PendingRecord> group : groups) {
                running.add(executor.submit(() -> {
                    if (loggingContext != null) {
                        MDC.setContextMap(loggingContext);
                    }
                    runGroup(group, instants, store, mappings, credentials, reporter, permits);
                }));
            }
            awaitUntil(running, instants);
        } finally {
            executor.shutdownNow();
        }
    }

    private void runGroup(
            List<PendingRecord> group,
            InvocationInstants instants,
            SyncStateStore store,
            Map<RecordRef, String> mappings,
            BatchCredentials credentials,
            OutcomeReporter reporter,
            Semaphore permits) {
        for (PendingRecord record : group) {
            permits.acquireUninterruptibly();
            try {
                // Checked once a slot is free: a record that would outlive the invocation is not started.
                RecordVerdict verdict;
                if (instants.tooLateToStart(clock.instant())) {
                    verdict = new RecordVerdict.Deferred(new SyncFailure.Retryable(
                            ErrorClass.DEADLINE, "not started, too little invocation time left"));
                } else {
                    verdict = protocol.run(record, store, instants, mappings, credentials);
                }
                reporter.report(record, verdict);
                reporter.coalesced(record, verdict);
            } catch (RuntimeException | Error e) {
                String described = Redaction.describe(e, credentials);
                LOG.error("unexpected failure on event {}: {}", record.event().eventId(), described);
                // Whether a claim landed is unknown: its lease, if any, ends with the invocation;
                // the status is not rewritten on every such receive.
                RecordVerdict failed = new RecordVerdict.Failed(
                        new SyncFailure.Retryable(ErrorClass.INTERNAL, described),
                        Optional.empty(),
                        Set.of(record.event().eventId()));
                reporter.report(record, failed);
                reporter.coalesced(record, failed);
            } finally {
                permits.release();
            }
        }
    }

    /**
     * The vendor ids of the records this batch depends on, in one read. When that read fails, only
     * the records that need it wait (reported and removed from their groups); the rest go on.
     */
    private Map<RecordRef, String> readMappings(
            List<List<PendingRecord>> groups,
            SyncStateStore store,
            BatchCredentials credentials,
            OutcomeReporter reporter) {
        Map<String, RecordRef> byKey = new LinkedHashMap<>();
        for (List<PendingRecord> group : groups) {
            for (PendingRecord record : group) {
                for (RecordRef ref : connector.dependencies(record.event())) {
                    byKey.put(StateKey.record(connector.integration(), ref.object(), ref.recordId()), ref);
                }
            }
        }
        if (byKey.isEmpty()) {
            return Map.of();
        }
        try {
            Map<RecordRef, String> resolved = new LinkedHashMap<>();
            store.externalIds(List.copyOf(byKey.keySet()))
                    .forEach((pk, externalId) -> resolved.put(byKey.get(pk), externalId));
            return resolved;
        } catch (RuntimeException e) {
            String reason = "could not read dependent records' mappings: " + Redaction.describe(e, credentials);
            LOG.warn(reason);
            for (List<PendingRecord> group : groups) {
                group.removeIf(record -> {
                    if (connector.dependencies(record.event()).isEmpty()) {
                        return false;
                    }
                    // nothing claimed, and no status write per receive for a table that is not answering
                    RecordVerdict waiting = new RecordVerdict.Failed(
                            new SyncFailure.Retryable(ErrorClass.STATE_UNAVAILABLE, reason),
                            Optional.empty(),
                            Set.of(record.event().eventId()));
                    reporter.report(record, waiting);
                    reporter.coalesced(record, waiting);
                    return true;
                });
            }
            return Map.of();
        }
    }

    private void awaitUntil(List<Future<?>> running, InvocationInstants instants) {
        for (Future<?> future : running) {
            long waitMillis = Math.max(
                    0, Duration.between(clock.instant(), instants.stopWaiting()).toMillis());
            try {
                future.get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (ExecutionException e) {
                LOG.error(
                        "a record group failed unexpectedly: {}",
                        e.getCause().getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
