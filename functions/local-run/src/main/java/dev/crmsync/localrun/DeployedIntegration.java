package dev.crmsync.localrun;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.OutcomeType;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.infra.Integration;
import dev.crmsync.infra.RetryArithmetic;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One catalog entry deployed on the local servers as the stack deploys it: its queue named {@code
 * crm-sync-<stage>-<name>} with the entry's visibility timeout and its DLQ behind the receive backstop, its secret, its
 * connector options; and its function run as the event source mapping runs it — the entry's batch size and batching
 * window, up to its maximum concurrency of invocations, each instance with a pipeline of its own (a container),
 * partial batch responses, redelivery after the visibility the function sets.
 */
final class DeployedIntegration implements AutoCloseable {
    /** Every outcome is published locally (the catalog's default omits skipped): the run reads what became of each. */
    static final String PUBLISHED_OUTCOMES = OutcomeType.format(EnumSet.allOf(OutcomeType.class));

    final Integration entry;
    final LocalIntegration<?> local;
    final IntegrationHarness harness;
    final AtomicInteger invocationsRunning = new AtomicInteger();

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> instances = new ArrayList<>();

    DeployedIntegration(
            Integration entry,
            LocalIntegration<?> local,
            AwsEnvironment aws,
            String stage,
            String table,
            String eventBus) {
        this.entry = entry;
        this.local = local;
        String name = "crm-sync-" + stage + "-" + entry.name();
        int visibility = (int)
                entry.timeout().multipliedBy(6).plus(entry.batchingWindow()).toSeconds();
        this.harness = local.deploy(
                aws,
                new IntegrationHarness.Resources(table, name, "crm-sync/" + stage + "/" + entry.name()),
                RetryArithmetic.maxReceiveCount(entry.retryWindow()),
                visibility);
        harness.environment.put(EnvVar.CRM_SYNC_EVENT_BUS.wireName(), eventBus);
        harness.environment.put(EnvVar.CRM_SYNC_PUBLISH_OUTCOMES.wireName(), PUBLISHED_OUTCOMES);
        harness.environment.put(
                EnvVar.CRM_SYNC_RETRY_WINDOW_SECONDS.wireName(),
                Long.toString(entry.retryWindow().toSeconds()));
        harness.environment.put(
                EnvVar.CRM_SYNC_MAX_CONCURRENCY.wireName(), Integer.toString(entry.vendorCallsPerInvocation()));
    }

    /** Starts the entry's maximum concurrency of function instances polling the queue. */
    void start() {
        SyncConfig config = harness.config();
        for (int i = 0; i < entry.maxConcurrency(); i++) {
            LocalEventSourceMapping mapping = new LocalEventSourceMapping(
                            harness.aws.sqs(),
                            harness.queues.queueUrl(),
                            harness.queues.queueArn(),
                            harness.pipeline(config, Clock.systemUTC())::process,
                            entry.timeout())
                    .batchSize(entry.batchSize())
                    .batchingWindow(entry.batchingWindow());
            Thread instance = new Thread(() -> poll(mapping), entry.name() + "-instance-" + i);
            instance.setDaemon(true);
            instances.add(instance);
            instance.start();
        }
    }

    private void poll(LocalEventSourceMapping mapping) {
        while (running.get()) {
            try {
                invocationsRunning.incrementAndGet();
                int received;
                try {
                    received = mapping.pollOnce().received();
                } finally {
                    invocationsRunning.decrementAndGet();
                }
                if (received == 0) {
                    Thread.sleep(Duration.ofMillis(100));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running.get()) {
                    // as Lambda does with a failed invocation: the batch's messages come back after their visibility
                    System.err.println(entry.name() + ": invocation failed: " + e);
                }
            }
        }
    }

    /** Messages in the queue, visible or in flight. */
    int waiting() {
        return harness.queuedMessages();
    }

    @Override
    public void close() {
        running.set(false);
        for (Thread instance : instances) {
            try {
                instance.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
