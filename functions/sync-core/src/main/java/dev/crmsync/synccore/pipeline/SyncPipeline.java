package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.event.EventParser;
import dev.crmsync.synccore.event.ParsedMessage;
import dev.crmsync.synccore.event.SchemaValidator;
import dev.crmsync.synccore.observe.OutcomeLog;
import dev.crmsync.synccore.observe.OutcomeLog.RecordOutcome;
import dev.crmsync.synccore.observe.SyncMetrics;
import dev.crmsync.synccore.retry.RetryPolicy;
import dev.crmsync.synccore.secrets.IntegrationSecret;
import dev.crmsync.synccore.state.Claim;
import dev.crmsync.synccore.state.StateKey;
import dev.crmsync.synccore.state.SyncStateStore;
import dev.crmsync.synccore.state.SyncStatus;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;

/**
 * The batch loop every integration shares: parse → validate → echo → claim → connector →
 * commit → classify, for each SQS record, with a partial batch response however a record fails.
 *
 * <p>Records of different CRM records run concurrently on virtual threads, bounded per
 * integration, so a batch costs about its slowest vendor call; events of one record in one
 * batch never race each other. When the invocation's remaining time falls below the margin no
 * new record starts, so a timeout never sends a whole batch back.
 */
public final class SyncPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(SyncPipeline.class);
    private static final Duration PERMANENT_FAILURE_MEMORY = Duration.ofMinutes(1);

    private final SyncConfig config;
    private final Connector connector;
    private final SyncStateStore store;
    private final IntegrationSecret secret;
    private final EventParser parser;
    private final RetryPolicy retryPolicy;
    private final VisibilityChanges visibility;
    private final SyncMetrics metrics;
    private final OutcomeLog outcomes;
    private final Clock clock;

    SyncPipeline(SyncConfig config, AwsClients clients, Clock clock, DoubleSupplier jitter,
                 Function<ConnectorSettings, Connector> connectorFactory) {
        this.config = config;
        this.clock = clock;
        ObjectMapper mapper = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.connector = connectorFactory.apply(new ConnectorSettings(config.vendorUrl(), http));
        if (!connector.integration().equals(config.integration())) {
            throw new IllegalStateException("CRM_SYNC_INTEGRATION is '" + config.integration()
                    + "' but this function's connector is for '" + connector.integration() + "'");
        }
        this.store = new SyncStateStore(clients.dynamo(), config.table(), clock, config.statusTtl());
        this.secret = new IntegrationSecret(
                SecretsProvider.builder().withClient(clients.secrets()).build(),
                SecretsProvider.builder().withClient(clients.secrets()).build(),
                config.secretId(), mapper, config.secretMaxAge(), clock);
        this.parser = new EventParser(mapper, SchemaValidator.fromClasspath(), config.maxBodyBytes());
        this.retryPolicy = new RetryPolicy(config.backoffBase(), config.backoffCap(), config.busyBackoffCap(),
                jitter);
        this.visibility = new VisibilityChanges(clients.sqs(), config.queueUrl());
        var powertoolsMetrics = MetricsFactory.getMetricsInstance();
        powertoolsMetrics.setNamespace("CrmSync");
        this.metrics = new SyncMetrics(powertoolsMetrics, config.integration());
        this.outcomes = new OutcomeLog(config.integration());
    }

    /** The production wiring: configuration and clients from the environment, built once per container. */
    public static SyncPipeline fromEnvironment(Function<ConnectorSettings, Connector> connectorFactory) {
        // SecureRandom, not ThreadLocalRandom: a SnapStart snapshot would give every restored
        // container the same jitter sequence, and retries would come back in step.
        SecureRandom random = new SecureRandom();
        return new SyncPipeline(SyncConfig.fromEnvironment(), AwsClients.fromEnvironment(), Clock.systemUTC(),
                random::nextDouble, connectorFactory);
    }

    /**
     * Explicit wiring, for tests and the local run.
     *
     * @param jitter uniform in [0, 1): the random part of the backoff (tests pin it to see the bound)
     */
    public static SyncPipeline create(SyncConfig config, AwsClients clients, Clock clock, DoubleSupplier jitter,
                                      Function<ConnectorSettings, Connector> connectorFactory) {
        return new SyncPipeline(config, clients, clock, jitter, connectorFactory);
    }

    public SQSBatchResponse process(SQSEvent batch, Context context) {
        return PowertoolsLogging.withLogging(context, () -> processBatch(batch, context));
    }

    private SQSBatchResponse processBatch(SQSEvent batch, Context context) {
        Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis());
        List<SQSMessage> messages = batch.getRecords() == null ? List.of() : batch.getRecords();
        BatchOutcome outcome = new BatchOutcome(messages);
        try {
            run(messages, deadline, outcome);
        } catch (RuntimeException | Error e) {
            // A bug must not lose the batch: whatever was not decided goes back to the queue.
            LOG.error("batch processing failed unexpectedly; undecided records return to the queue", e);
        }
        outcome.failUndecided(soonSeconds());
        try {
            visibility.apply(outcome.visibilityChanges());
        } catch (RuntimeException e) {
            LOG.warn("could not change message visibility; failed records return after the queue's visibility timeout", e);
        }
        try {
            metrics.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not flush metrics", e);
        }
        return outcome.response();
    }

    private void run(List<SQSMessage> messages, Instant deadline, BatchOutcome outcome) {
        List<Work> work = new ArrayList<>();
        for (SQSMessage message : messages) {
            try {
                admit(message, work, outcome);
            } catch (RuntimeException e) {
                LOG.error("could not admit message {}", message.getMessageId(), e);
                fail(new Work(message, null, null, attempt(message)), new SyncFailure.Retryable("internal", describe(e)), outcome, false);
            }
        }
        Map<String, List<Work>> groups = groupByClaimKey(work, outcome);
        Map<RecordRef, String> dependencies = readDependencies(groups, outcome);
        CredentialsOnce credentials = new CredentialsOnce(secret);
        // Virtual threads do not inherit the invocation's logging context (request id, cold start).
        Map<String, String> loggingContext = MDC.getCopyOfContextMap();

        Semaphore permits = new Semaphore(Math.max(1, config.maxConcurrency()));
        List<Future<?>> running = new ArrayList<>();
        // Not try-with-resources: close() would wait for a vendor call that outlives the deadline.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (List<Work> group : groups.values()) {
                running.add(executor.submit(() -> {
                    if (loggingContext != null) {
                        MDC.setContextMap(loggingContext);
                    }
                    runGroup(group, deadline, permits, dependencies, credentials, outcome);
                }));
            }
            awaitUntil(running, stopWaitingAt(deadline));
        } finally {
            // Whatever is still running is reported failed by the caller and its lease ends with the invocation.
            executor.shutdownNow();
        }
    }

    private void runGroup(List<Work> group, Instant deadline, Semaphore permits, Map<RecordRef, String> dependencies,
                          CredentialsOnce credentials, BatchOutcome outcome) {
        for (Work item : group) {
            permits.acquireUninterruptibly();
            try {
                // Checked once a slot is free: a record that would outlive the invocation is not started.
                if (remaining(deadline).compareTo(config.deadlineMargin()) < 0) {
                    outcome.fail(item.message(), soonSeconds());
                    outcomes.record(item.outcome("failed_retryable", "deadline: not started, too little invocation time left"));
                    continue;
                }
                processClaimed(item, deadline, dependencies, credentials, outcome);
            } catch (RuntimeException | Error e) {
                LOG.error("unexpected failure on event {}", item.event().eventId(), e);
                fail(item, new SyncFailure.Retryable("internal", describe(e)), outcome, true);
            } finally {
                permits.release();
            }
        }
    }

    private void admit(SQSMessage message, List<Work> work, BatchOutcome outcome) {
        int attempt = attempt(message);
        ParsedMessage parsed = parser.parse(message.getBody(), message.getMessageId());
        switch (parsed) {
            case ParsedMessage.Invalid invalid -> {
                Work item = new Work(message, null, null, attempt);
                failWithStatus(item, invalid.eventId(), invalid.detailType(), invalid.recordId(), invalid.failure(), outcome);
            }
            case ParsedMessage.Valid valid -> {
                CrmEvent event = valid.event();
                if (event.origin().equals(connector.integration())) {
                    skip(new Work(message, event, null, attempt), "echo", "written by this integration", outcome);
                    return;
                }
                Operation operation = connector.plan(event);
                Work item = new Work(message, event, operation, attempt);
                if (operation instanceof Operation.Unsupported unsupported) {
                    fail(item, new SyncFailure.Permanent("unsupported_detail_type", unsupported.reason()), outcome, false);
                } else if (attempt > 1 && failedPermanentlyBefore(item)) {
                    fail(item, new SyncFailure.Permanent("failed_permanently", "an earlier receive of this message failed permanently; "
                            + "see the status record of event " + event.eventId()), outcome, false, false);
                } else {
                    work.add(item);
                }
            }
        }
    }

    /**
     * A message that just failed permanently comes back (visibility 0) only to be counted toward
     * the DLQ; calling the vendor again would repeat the same rejection. Only a failure of this
     * very message within the last minute counts: a redrive comes after on-call fixed the cause,
     * and must try again.
     */
    private boolean failedPermanentlyBefore(Work item) {
        Instant recent = clock.instant().minus(PERMANENT_FAILURE_MEMORY);
        return store.status(config.integration(), item.event().eventId())
                .filter(s -> "FAILED_PERMANENT".equals(s.outcome()))
                .filter(s -> item.message().getMessageId().equals(s.messageId()))
                .filter(s -> s.attempts() < item.attempt())
                .filter(s -> s.at() != null && s.at().isAfter(recent))
                .isPresent();
    }

    /**
     * One group per claim key. Record groups are coalesced to their newest event (events carry the
     * full state, so the newest makes the others redundant); action groups run in order, the
     * second and later finding the action completed.
     */
    private Map<String, List<Work>> groupByClaimKey(List<Work> work, BatchOutcome outcome) {
        Map<String, List<Work>> groups = new LinkedHashMap<>();
        for (Work item : work) {
            groups.computeIfAbsent(claimKey(item.operation()), k -> new ArrayList<>()).add(item);
        }
        for (Map.Entry<String, List<Work>> group : groups.entrySet()) {
            List<Work> items = group.getValue();
            if (items.size() > 1 && items.getFirst().operation() instanceof Operation.SyncRecord) {
                items.sort(Comparator.comparingLong((Work w) -> w.event().version()).reversed());
                Work newest = items.getFirst();
                for (Work older : items.subList(1, items.size())) {
                    skip(older, "superseded", "version " + newest.event().version() + " of this record is in the same batch", outcome);
                }
                group.setValue(new ArrayList<>(List.of(newest)));
            }
        }
        return groups;
    }

    /**
     * The vendor ids of the records this batch depends on, in one read. When that read fails, only
     * the records that need it wait (they are failed and removed from their groups); the rest go on.
     */
    private Map<RecordRef, String> readDependencies(Map<String, List<Work>> groups, BatchOutcome outcome) {
        try {
            return readDependencies(groups);
        } catch (RuntimeException e) {
            LOG.warn("could not read the mappings this batch depends on", e);
            SyncFailure failure = new SyncFailure.Retryable("state_unavailable",
                    "could not read dependent records' mappings: " + describe(e));
            for (List<Work> group : groups.values()) {
                group.removeIf(item -> {
                    if (connector.dependencies(item.event()).isEmpty()) {
                        return false;
                    }
                    fail(item, failure, outcome, false);
                    return true;
                });
            }
            return Map.of();
        }
    }

    private Map<RecordRef, String> readDependencies(Map<String, List<Work>> groups) {
        Map<String, RecordRef> byKey = new LinkedHashMap<>();
        for (List<Work> group : groups.values()) {
            for (Work item : group) {
                for (RecordRef ref : connector.dependencies(item.event())) {
                    byKey.put(StateKey.record(config.integration(), ref.object(), ref.recordId()), ref);
                }
            }
        }
        if (byKey.isEmpty()) {
            return Map.of();
        }
        Map<RecordRef, String> resolved = new LinkedHashMap<>();
        store.externalIds(List.copyOf(byKey.keySet())).forEach((pk, externalId) -> resolved.put(byKey.get(pk), externalId));
        return resolved;
    }

    private void processClaimed(Work item, Instant deadline, Map<RecordRef, String> dependencies,
                                CredentialsOnce credentials, BatchOutcome outcome) {
        CrmEvent event = item.event();
        String pk = claimKey(item.operation());
        Claim claim = item.isAction()
                ? store.claimAction(pk, event.eventId(), deadline)
                : store.claimRecord(pk, event.eventId(), event.version(), deadline);
        switch (claim) {
            case Claim.Duplicate d -> skip(item, "duplicate", "already applied by event " + d.appliedEventId(), outcome);
            case Claim.Stale s -> skip(item, "stale", "version " + s.appliedVersion() + " was already applied", outcome);
            case Claim.Superseded s -> skip(item, "superseded", "event " + s.leaseOwner() + " (version " + s.leaseVersion() + ") is applying this record", outcome);
            case Claim.Busy b -> fail(item, new SyncFailure.Retryable("record_busy",
                    "event " + b.leaseOwner() + " holds this " + (item.isAction() ? "action" : "record (version " + b.leaseVersion() + ")")
                            + " until " + b.leaseUntil(),
                    // when the holder's lease ends: it may have died holding it
                    Optional.of(Duration.between(clock.instant(), b.leaseUntil()).plusSeconds(1))),
                    outcome, false);
            case Claim.Claimed c -> applyClaimed(item, pk, c, deadline, dependencies, credentials, outcome);
        }
    }

    private void applyClaimed(Work item, String pk, Claim.Claimed claim, Instant deadline,
                              Map<RecordRef, String> dependencies, CredentialsOnce credentials, BatchOutcome outcome) {
        CrmEvent event = item.event();
        Credentials creds;
        try {
            creds = credentials.get();
        } catch (RuntimeException e) {
            fail(item, new SyncFailure.Retryable("credentials_unavailable", describe(e)), outcome, true);
            return;
        }
        SyncRequest request = new SyncRequest(event, item.operation(), claim.externalId(), claim.externalIds(),
                item.attempt() > 1 || claim.earlierAttemptUncommitted(), 0, dependencies, creds,
                new CallBudget(stopWaitingAt(deadline), config.vendorTimeout(), clock));
        Instant started = clock.instant();
        SyncResult result = connector.apply(request);
        if (result instanceof SyncResult.Failed(SyncFailure.Unauthorized first)) {
            Credentials refreshed;
            try {
                refreshed = secret.refreshAfterRejection(creds);
            } catch (RuntimeException e) {
                fail(item, new SyncFailure.Retryable("credentials_unavailable", describe(e)), outcome, true);
                return;
            }
            result = connector.apply(request.withCredentials(refreshed));
            if (result instanceof SyncResult.Failed(SyncFailure.Unauthorized again)) {
                result = new SyncResult.Failed(new SyncFailure.Permanent("unauthorized",
                        "the vendor rejected the credentials of secret " + config.secretId() + " also after re-reading it: " + again.reason()));
            }
        }
        Duration latency = Duration.between(started, clock.instant());
        switch (result) {
            case SyncResult.Applied applied -> {
                boolean committed = item.isAction()
                        ? store.commitAction(pk, event.eventId(), applied.externalId(), applied.externalIds())
                        : store.commitRecord(pk, event.eventId(), event.version(), applied.externalId(), applied.externalIds());
                if (!committed) {
                    fail(item, new SyncFailure.Retryable("lease_lost",
                            "the lease ran out before the commit; the retry will find the vendor's state"), outcome, false);
                    return;
                }
                outcome.succeed(item.message());
                metrics.succeeded(latency, Duration.between(event.occurredAt(), clock.instant()));
                outcomes.record(item.outcome("applied", applied.externalId()));
                // A redriven message starts again at receive count 1: the claim says it failed before.
                if (item.attempt() > 1 || claim.failedEventId().filter(event.eventId()::equals).isPresent()) {
                    putStatus(item, event.eventId(), event.detailType(), event.recordId(), "APPLIED", null, "applied " + applied.externalId());
                }
            }
            case SyncResult.Failed failed -> fail(item, failed.failure(), outcome, true);
        }
    }

    private void skip(Work item, String reason, String detail, BatchOutcome outcome) {
        outcome.succeed(item.message());
        metrics.skipped(reason);
        outcomes.record(item.outcome("skipped_" + reason, detail));
    }

    private void fail(Work item, SyncFailure failure, BatchOutcome outcome, boolean releaseLease) {
        fail(item, failure, outcome, releaseLease, true);
    }

    private void fail(Work item, SyncFailure failure, BatchOutcome outcome, boolean releaseLease, boolean writeStatus) {
        // A record interrupted at the deadline must still release its lease and say why.
        Thread.interrupted();
        CrmEvent event = item.event();
        if (releaseLease && event != null && item.operation() != null) {
            try {
                store.release(claimKey(item.operation()), event.eventId());
            } catch (RuntimeException e) {
                LOG.warn("could not release the lease of event {}; it ends with the invocation", event.eventId(), e);
            }
        }
        String eventId = event != null ? event.eventId() : item.message().getMessageId();
        if (writeStatus) {
            failWithStatus(item, eventId, event == null ? null : event.detailType(), event == null ? null : event.recordId(), failure, outcome);
        } else {
            decide(item, failure, outcome);
        }
    }

    private void failWithStatus(Work item, String eventId, String detailType, String recordId, SyncFailure failure, BatchOutcome outcome) {
        String kind = failure instanceof SyncFailure.Retryable ? "RETRYING" : "FAILED_PERMANENT";
        putStatus(item, eventId, detailType, recordId, kind, failure.errorClass(), failure.reason());
        decide(item, failure, outcome);
    }

    private void decide(Work item, SyncFailure failure, BatchOutcome outcome) {
        int seconds = switch (failure) {
            // Visibility 0: the message comes straight back and reaches the DLQ within seconds.
            case SyncFailure.Permanent p -> 0;
            case SyncFailure.Unauthorized u -> 0;
            case SyncFailure.Retryable r when r.errorClass().equals("record_busy") -> retryPolicy.busySeconds(item.attempt(), r.retryAfter());
            case SyncFailure.Retryable r -> retryPolicy.visibilitySeconds(item.attempt(), r.retryAfter());
        };
        outcome.fail(item.message(), seconds);
        metrics.failed(failure.errorClass());
        String kind = failure instanceof SyncFailure.Retryable ? "failed_retryable" : "failed_permanent";
        outcomes.record(item.outcome(kind, failure.errorClass() + ": " + failure.reason() + " (visible again in " + seconds + " s)"));
    }

    private void putStatus(Work item, String eventId, String detailType, String recordId, String outcome, String errorClass, String reason) {
        try {
            store.putStatus(new SyncStatus(config.integration(), eventId, detailType, recordId,
                    item.message().getMessageId(), outcome, item.attempt(), errorClass, reason, clock.instant()));
        } catch (RuntimeException e) {
            LOG.warn("could not write the status record of event {}", eventId, e);
        }
    }

    private String claimKey(Operation operation) {
        return switch (operation) {
            case Operation.SyncRecord r -> StateKey.record(config.integration(), r.object(), r.recordId());
            case Operation.Action a -> StateKey.action(config.integration(), a.action(), a.businessKey());
            case Operation.Unsupported u -> throw new IllegalArgumentException("unsupported operations are never claimed");
        };
    }

    /** Visibility for a record that was not tried (deadline, a bug): back within a second or two. */
    private int soonSeconds() {
        return retryPolicy.busySeconds(1, Optional.empty());
    }

    /**
     * When the batch stops waiting for its records, and so when every vendor call must have ended:
     * half the margin before the deadline, leaving the other half to report the batch.
     */
    private Instant stopWaitingAt(Instant deadline) {
        return deadline.minus(config.deadlineMargin().dividedBy(2));
    }

    private Duration remaining(Instant deadline) {
        return Duration.between(clock.instant(), deadline);
    }

    private static void awaitUntil(List<Future<?>> running, Instant until) {
        for (Future<?> future : running) {
            long waitMillis = Math.max(0, Duration.between(Instant.now(), until).toMillis());
            try {
                future.get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("a record group failed unexpectedly", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int attempt(SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** One SQS record on its way through the pipeline. */
    private record Work(SQSMessage message, CrmEvent event, Operation operation, int attempt) {
        /** A one-time action (claimed by business key) rather than a record's state. */
        boolean isAction() {
            return operation instanceof Operation.Action;
        }

        RecordOutcome outcome(String outcome, String reason) {
            return new RecordOutcome(
                    event == null ? message.getMessageId() : event.eventId(),
                    message.getMessageId(),
                    event == null ? null : event.detailType(),
                    event == null ? null : event.recordId(),
                    attempt, outcome, reason);
        }
    }

    /** Reads the secret at most once per batch, and only if some record gets as far as the vendor. */
    private static final class CredentialsOnce {
        private final IntegrationSecret secret;
        private Credentials value;

        CredentialsOnce(IntegrationSecret secret) {
            this.secret = secret;
        }

        synchronized Credentials get() {
            if (value == null) {
                value = secret.current();
            }
            return value;
        }
    }
}
