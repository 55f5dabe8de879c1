package dev.crmsync.benchmark;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.localrun.LocalIntegration;
import dev.crmsync.localrun.LocalIntegrations;
import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.pipeline.SyncPipeline;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * One integration deployed for a benchmark phase: its own sandbox, table, queue, DLQ and secret
 * (the local run's {@link LocalIntegration}), and one handler instance — the pipeline built as the
 * function builds it, on clients whose requests a {@link RequestCounter} counts and a connector
 * whose vendor time is added up — invoked as the event source mapping invokes it.
 */
final class BenchDeployment implements AutoCloseable {
    /** The outcome events' bus: the local EventBridge endpoint accepts any. */
    static final String EVENT_BUS = "crm-sync-bench";

    private static final Duration FUNCTION_TIMEOUT = IntegrationHarness.FUNCTION_TIMEOUT;
    /** Every phase ends by itself: a drain never outlasts this. */
    private static final Duration PHASE_LIMIT = Duration.ofSeconds(90);

    final IntegrationId id;
    final LocalIntegration<?> integration;
    final IntegrationHarness harness;
    final RequestCounter counter = new RequestCounter();
    private final LongAdder vendorNanos = new LongAdder();
    private final List<Invocation> invocations = Collections.synchronizedList(new ArrayList<>());
    private final LocalEventSourceMapping esm;

    /** One invocation: its records, the handler's time and the connector's (vendor) time in it. */
    record Invocation(int records, long nanos, long vendorNanos) {}

    private BenchDeployment(IntegrationId id, AwsEnvironment aws, boolean outcomeEvents) {
        this.id = id;
        this.integration = LocalIntegrations.of(id);
        this.harness = integration.deploy(aws, 5, 60);
        if (outcomeEvents) {
            harness.environment.put(EnvVar.CRM_SYNC_EVENT_BUS.name(), EVENT_BUS);
        }
        SyncPipeline pipeline = SyncPipeline.create(
                harness.config(),
                AwsClients.fromEnvironment(List.of(counter)),
                Clock.systemUTC(),
                () -> 0.5,
                settings -> new TimedConnector(integration.connector().apply(settings), vendorNanos));
        esm = new LocalEventSourceMapping(
                aws.sqs(),
                harness.queues.queueUrl(),
                harness.queues.queueArn(),
                (batch, context) -> timed(pipeline, batch, context),
                FUNCTION_TIMEOUT);
    }

    /** {@code id} deployed with its sandbox answering after {@code vendorLatency}. */
    static BenchDeployment deploy(IntegrationId id, AwsEnvironment aws, Duration vendorLatency, boolean outcomeEvents) {
        BenchDeployment deployment = new BenchDeployment(id, aws, outcomeEvents);
        deployment.integration.sandbox().setLatency(vendorLatency);
        return deployment;
    }

    private SQSBatchResponse timed(SyncPipeline pipeline, SQSEvent batch, Context context) {
        vendorNanos.reset();
        long start = System.nanoTime();
        SQSBatchResponse response = pipeline.process(batch, context);
        invocations.add(new Invocation(batch.getRecords().size(), System.nanoTime() - start, vendorNanos.sum()));
        return response;
    }

    /** Sends {@code events} to the integration's queue, ten to a request. */
    void send(List<String> events) {
        for (int from = 0; from < events.size(); from += 10) {
            List<String> chunk = events.subList(from, Math.min(events.size(), from + 10));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id("m" + i)
                        .messageBody(chunk.get(i))
                        .build());
            }
            harness.aws
                    .sqs()
                    .sendMessageBatch(b -> b.queueUrl(harness.queues.queueUrl()).entries(entries));
        }
    }

    /**
     * Invokes the handler with batches of up to {@code batchSize} until {@code records} messages were
     * received (or the queue gave none): what the event source mapping does with a batching window
     * on a queue that holds a backlog. Returns the invocations of this drain.
     */
    List<Invocation> drain(int batchSize, int records) {
        int before = invocations.size();
        int received = 0;
        Instant until = Instant.now().plus(PHASE_LIMIT);
        while (received < records && Instant.now().isBefore(until)) {
            List<Message> batch = new ArrayList<>();
            while (batch.size() < Math.min(batchSize, records - received)) {
                List<Message> got = esm.receive(Math.min(10, Math.min(batchSize, records - received) - batch.size()));
                if (got.isEmpty()) {
                    break;
                }
                batch.addAll(got);
            }
            if (batch.isEmpty()) {
                sleep(Duration.ofMillis(100));
                continue;
            }
            esm.invoke(batch);
            received += batch.size();
        }
        synchronized (invocations) {
            return List.copyOf(invocations.subList(before, invocations.size()));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        integration.sandbox().close();
    }
}
