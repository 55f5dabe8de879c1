package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.MetricName;
import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.event.EventParser;
import dev.crmsync.synccore.event.SchemaValidator;
import dev.crmsync.synccore.observe.OutcomeLog;
import dev.crmsync.synccore.observe.SyncMetrics;
import dev.crmsync.synccore.retry.RetryPolicy;
import dev.crmsync.synccore.secrets.IntegrationSecret;
import dev.crmsync.synccore.state.SyncStateStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.parameters.secrets.SecretsProvider;

/**
 * The batch loop every integration shares, wired once per container: {@link Admission} (parse →
 * validate → echo → plan → coalesce), {@link BatchRunner} (bounded concurrency within the
 * invocation's {@link InvocationInstants}), {@link RecordProtocol} (claim → apply → commit, per
 * record) and {@link OutcomeReporter} (visibility, lease, status, metrics, log, {@link OutcomeEvents}) —
 * and a partial batch response however a record fails.
 */
public final class SyncPipeline implements SyncFunction {
    private static final Logger LOG = LoggerFactory.getLogger(SyncPipeline.class);

    private final SyncConfig config;
    private final SyncStateStore store;
    private final IntegrationSecret secret;
    private final RecentGiveUps recentGiveUps;
    private final Admission admission;
    private final BatchRunner runner;
    private final RetryPolicy retryPolicy;
    private final VisibilityChanges visibility;
    private final SyncMetrics metrics;
    private final OutcomeLog outcomes;
    private final OutcomeEvents outcomeEvents;
    private final Clock clock;

    SyncPipeline(
            SyncConfig config,
            AwsClients clients,
            Clock clock,
            DoubleSupplier jitter,
            Function<ConnectorSettings, Connector> connectorFactory) {
        this.config = config;
        this.clock = clock;
        ObjectMapper mapper = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        Connector connector =
                connectorFactory.apply(new ConnectorSettings(config.vendorUrl(), http, config.connectorOptions()));
        if (!connector.integration().equals(config.integration())) {
            throw new IllegalStateException("CRM_SYNC_INTEGRATION is '" + config.integration()
                    + "' but this function's connector is for '" + connector.integration() + "'");
        }
        this.store = new SyncStateStore(clients.dynamo(), config.table(), clock, config.statusTtl());
        this.secret = new IntegrationSecret(
                SecretsProvider.builder().withClient(clients.secrets()).build(),
                SecretsProvider.builder().withClient(clients.secrets()).build(),
                config.secretId(),
                mapper,
                config.secretMaxAge(),
                clock);
        this.recentGiveUps = new RecentGiveUps(clock, SyncStateStore.GIVE_UP_MEMORY);
        this.admission = new Admission(
                new EventParser(mapper, SchemaValidator.fromClasspath(), config.maxBodyBytes()),
                connector,
                clock,
                recentGiveUps);
        this.runner = new BatchRunner(
                new RecordProtocol(connector, clock, config.secretId(), config.vendorTimeout()),
                connector,
                config.maxConcurrency(),
                clock);
        this.retryPolicy = new RetryPolicy(config.backoffBase(), config.backoffCap(), config.busyBackoffCap(), jitter);
        this.visibility = new VisibilityChanges(clients.sqs(), config.queueUrl());
        var powertoolsMetrics = MetricsFactory.getMetricsInstance();
        powertoolsMetrics.setNamespace(MetricName.NAMESPACE);
        this.metrics = new SyncMetrics(powertoolsMetrics, config.integration());
        this.outcomes = new OutcomeLog(config.integration());
        this.outcomeEvents = new OutcomeEvents(
                clients.events(),
                config.eventBus(),
                config.publishedOutcomes(),
                config.integration(),
                metrics,
                mapper,
                clock);
    }

    /**
     * Explicit wiring, for tests and the local run.
     *
     * @param jitter uniform in [0, 1): the random part of the backoff (tests pin it to see the bound)
     */
    public static SyncPipeline create(
            SyncConfig config,
            AwsClients clients,
            Clock clock,
            DoubleSupplier jitter,
            Function<ConnectorSettings, Connector> connectorFactory) {
        return new SyncPipeline(config, clients, clock, jitter, connectorFactory);
    }

    @Override
    public SQSBatchResponse process(SQSEvent batch, Context context) {
        return PowertoolsLogging.withLogging(context, () -> processBatch(batch, context));
    }

    private SQSBatchResponse processBatch(SQSEvent batch, Context context) {
        InvocationInstants instants =
                InvocationInstants.of(clock.instant(), context.getRemainingTimeInMillis(), config.deadlineMargin());
        List<SQSMessage> messages = batch.getRecords() == null ? List.of() : batch.getRecords();
        BatchOutcome outcome = new BatchOutcome(messages);
        BatchCredentials credentials = new BatchCredentials(secret);
        // Every state call of the records ends by the time the batch stops waiting for them.
        SyncStateStore recordStore = store.endingBy(instants.stopWaiting());
        OutcomeEvents.Batch events = outcomeEvents.batch();
        OutcomeReporter reporter = new OutcomeReporter(
                config.integration(),
                recordStore,
                retryPolicy,
                metrics,
                outcomes,
                outcome,
                credentials,
                clock,
                config.retryWindow(),
                config.maxReceiveCount(),
                recentGiveUps,
                events);
        try {
            runner.run(admission.admit(messages, reporter), instants, recordStore, credentials, reporter);
        } catch (RuntimeException | Error e) {
            // A bug must not lose the batch: whatever was not decided goes back to the queue.
            LOG.error(
                    "batch processing failed unexpectedly; undecided records return to the queue: {}",
                    Redaction.describe(e, credentials));
        }
        outcome.failUndecided(retryPolicy.busySeconds(1, Optional.empty()));
        try {
            visibility.apply(outcome.visibilityChanges(), instants.leaseEnd(), clock);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not change message visibility; failed records return after the queue's visibility "
                            + "timeout: {}",
                    e.getClass().getSimpleName());
        }
        // After the decisions and the visibility changes: an outcome event never holds up or changes either.
        events.publish(instants.outcomeEventsEnd());
        try {
            metrics.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not flush metrics: {}", e.getClass().getSimpleName());
        }
        return outcome.response();
    }
}
