package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.contract.MetricName;
import dev.crmsync.contract.StatusOutcome;
import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.event.MessageIds;
import dev.crmsync.synccore.observe.SyncMetrics;
import dev.crmsync.synccore.retry.RetryPolicy;
import dev.crmsync.synccore.state.SyncStateStore;
import dev.crmsync.synccore.state.SyncStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * Answers for a sync function whose pipeline could not be built: a start-up error such as an
 * environment variable missing or malformed, or a connector option absent. Thrown from the
 * handler's initialisation, such an error would fail every invocation before a record is looked
 * at: each batch would come back after the queue's visibility timeout, and after the queue's
 * maxReceiveCount receives (about 9.6 h) reach the DLQ with no status item.
 *
 * <p>Caught once per container instead, it answers every record of every batch as failed, with a
 * long visibility ({@link #COMES_BACK_IN}, not a fast loop), writes each message's status item
 * naming the problem when the state table is known (outcome {@code RETRYING}, error class
 * {@code startup_failed}; {@code FAILED_PERMANENT} on the message's last receive, when the queue's
 * count is known), logs the problem and counts {@code startupFailed}, on which the stack alarms.
 * Once the configuration is fixed, a deploy starts new containers and the messages are processed.
 * No vendor is called and no outcome event is published.
 */
public final class StartupFailure implements SyncFunction {
    /**
     * How long a record answered by a function that could not start stays away ({@link
     * RetryPolicy#STARTUP_FAILURE_BACKOFF}).
     */
    private static final Duration COMES_BACK_IN = RetryPolicy.STARTUP_FAILURE_BACKOFF;
    /** The error class of the status items and the log line. */
    public static final String ERROR_CLASS = ErrorClass.STARTUP_FAILED.wireName();

    private static final Logger LOG = LoggerFactory.getLogger(StartupFailure.class);
    /** The calls of one answer end this long before the invocation's deadline. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private static final Duration STATUS_TTL = Duration.ofDays(30);

    private final String problem;
    private final String integration;
    private final Optional<SyncStateStore> store;
    private final Optional<VisibilityChanges> visibility;
    private final OptionalInt maxReceiveCount;
    private final SyncMetrics metrics;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Clock clock;

    private StartupFailure(
            String problem,
            String integration,
            Optional<SyncStateStore> store,
            Optional<VisibilityChanges> visibility,
            OptionalInt maxReceiveCount,
            SyncMetrics metrics,
            Clock clock) {
        this.problem = problem;
        this.integration = integration;
        this.store = store;
        this.visibility = visibility;
        this.maxReceiveCount = maxReceiveCount;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The answer for {@code cause}, with what can still be read of {@code environment}: the
     * integration, the state table, the queue and its receive count. Never throws: what cannot be
     * built is done without (no table: no status items; no queue or clients: the messages come back
     * after the queue's own visibility timeout).
     */
    static StartupFailure of(
            Throwable cause, Map<String, String> environment, Supplier<AwsClients> clients, Clock clock) {
        // No secret has been read before the pipeline is built, so the message has none to redact.
        String problem = Redaction.describe(cause, UnaryOperator.identity());
        Optional<String> integration = variable(environment, EnvVar.CRM_SYNC_INTEGRATION);
        Optional<String> table = variable(environment, EnvVar.CRM_SYNC_TABLE);
        Optional<String> queueUrl = variable(environment, EnvVar.CRM_SYNC_QUEUE_URL);
        LOG.error(
                "the function could not start: {}. Every record is answered as failed and comes back in {} min until"
                        + " the configuration is fixed (integration {}, table {}, queue {})",
                problem,
                COMES_BACK_IN.toMinutes(),
                integration.orElse("unknown"),
                table.orElse("unknown"),
                queueUrl.orElse("unknown"));
        Optional<AwsClients> built = clientsIfAny(clients);
        Optional<SyncStateStore> store = integration.isEmpty() || table.isEmpty()
                ? Optional.empty()
                : built.map(c -> new SyncStateStore(c.dynamo(), table.get(), clock, STATUS_TTL));
        Optional<VisibilityChanges> visibility =
                queueUrl.flatMap(url -> built.map(c -> new VisibilityChanges(c.sqs(), url)));
        var powertoolsMetrics = MetricsFactory.getMetricsInstance();
        powertoolsMetrics.setNamespace(MetricName.NAMESPACE);
        return new StartupFailure(
                problem,
                integration.orElse("unknown"),
                store,
                visibility,
                receiveCount(environment),
                new SyncMetrics(powertoolsMetrics, integration.orElse("unknown")),
                clock);
    }

    @Override
    public SQSBatchResponse process(SQSEvent batch, Context context) {
        return PowertoolsLogging.withLogging(context, () -> answer(batch, context));
    }

    private SQSBatchResponse answer(SQSEvent batch, Context context) {
        InvocationInstants instants =
                InvocationInstants.of(clock.instant(), context.getRemainingTimeInMillis(), MARGIN);
        List<SQSMessage> messages = batch.getRecords() == null ? List.of() : batch.getRecords();
        BatchOutcome outcome = new BatchOutcome(messages);
        Optional<SyncStateStore> statusStore = store.map(s -> s.endingBy(instants.stopWaiting()));
        for (SQSMessage message : messages) {
            outcome.fail(message, (int) COMES_BACK_IN.toSeconds());
            statusStore.ifPresent(s -> putStatus(s, message));
        }
        outcome.failUndecided((int) COMES_BACK_IN.toSeconds());
        try {
            visibility.ifPresent(v -> v.apply(outcome.visibilityChanges(), instants.leaseEnd(), clock));
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not change message visibility; the records return after the queue's visibility timeout: {}",
                    e.getClass().getSimpleName());
        }
        LOG.error(
                "the function could not start ({}): {} record(s) answered as failed, back in {} s",
                problem,
                messages.size(),
                COMES_BACK_IN.toSeconds());
        try {
            metrics.startupFailed(messages.size());
            metrics.flush();
        } catch (RuntimeException e) {
            LOG.warn("could not flush metrics: {}", e.getClass().getSimpleName());
        }
        return outcome.response();
    }

    private void putStatus(SyncStateStore statusStore, SQSMessage message) {
        Delivery delivery = Delivery.of(message, clock.instant());
        MessageIds ids = MessageIds.of(mapper, message.getBody(), message.getMessageId());
        boolean last = maxReceiveCount.isPresent() && delivery.isLast(maxReceiveCount.getAsInt());
        String reason = last
                ? "gave up after " + delivery.receiveCount() + " receives: the function could not start: " + problem
                : "the function could not start: " + problem + "; back in " + COMES_BACK_IN.toMinutes()
                        + " min, processed once the configuration is fixed";
        try {
            statusStore.putStatus(new SyncStatus(
                    integration,
                    ids.eventId(),
                    ids.detailType(),
                    ids.recordId(),
                    message.getMessageId(),
                    (last ? StatusOutcome.FAILED_PERMANENT : StatusOutcome.RETRYING).wireName(),
                    delivery.receiveCount(),
                    ERROR_CLASS,
                    reason,
                    clock.instant()));
        } catch (RuntimeException e) {
            metrics.statusWriteFailed();
            LOG.error(
                    "could not write the status record of event {}: {}",
                    ids.eventId(),
                    Redaction.describe(e, UnaryOperator.identity()));
        }
    }

    private static Optional<AwsClients> clientsIfAny(Supplier<AwsClients> clients) {
        try {
            return Optional.of(clients.get());
        } catch (RuntimeException | LinkageError e) {
            LOG.error(
                    "no AWS client could be built either, so no status item is written and no visibility changed: {}",
                    Redaction.describe(e, UnaryOperator.identity()));
            return Optional.empty();
        }
    }

    private static Optional<String> variable(Map<String, String> environment, EnvVar name) {
        return Optional.ofNullable(environment.get(name.wireName()))
                .map(String::trim)
                .filter(v -> !v.isEmpty());
    }

    private static OptionalInt receiveCount(Map<String, String> environment) {
        try {
            return variable(environment, EnvVar.CRM_SYNC_MAX_RECEIVE_COUNT)
                    .map(v -> OptionalInt.of(Integer.parseInt(v)))
                    .orElse(OptionalInt.empty());
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
