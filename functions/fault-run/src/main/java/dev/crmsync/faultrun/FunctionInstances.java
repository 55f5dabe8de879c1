package dev.crmsync.faultrun;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.pipeline.SyncPipeline;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An integration's function instances polling its queue as Lambda's event source mapping does:
 * each instance is a container with its own pipeline and SDK clients, built as the handler builds
 * them, fed batches of 10 with partial batch responses by its own poller thread. An instance that
 * crashed is replaced by a fresh one (a new container), and the batch it held goes back to the queue
 * after the visibility timeout, as Lambda deletes nothing of a failed invocation.
 */
final class FunctionInstances implements AutoCloseable {
    private final IntegrationHarness harness;
    private final SyncConfig config;
    private final Duration functionTimeout;
    private final Duration freeze;
    private final Tickets tickets;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> pollers = new ArrayList<>();
    private final List<Instance> instances = new ArrayList<>(); // guarded by this
    final AtomicInteger crashes = new AtomicInteger();
    final AtomicInteger pollerErrors = new AtomicInteger();

    /** One container: its pipeline and what may happen to it. */
    private record Instance(SyncPipeline pipeline, Mishap mishap, LocalEventSourceMapping mapping) {}

    /** Thrown out of a crashed instance's invocation, so that the mapping deletes none of its batch. */
    private static final class InstanceDied extends RuntimeException {
        InstanceDied() {
            super("the instance crashed during the invocation", null, false, false);
        }
    }

    FunctionInstances(
            IntegrationHarness harness,
            SyncConfig config,
            int count,
            Duration functionTimeout,
            Duration freeze,
            Tickets tickets) {
        this.harness = harness;
        this.tickets = tickets;
        this.config = config;
        this.functionTimeout = functionTimeout;
        this.freeze = freeze;
        for (int i = 0; i < count; i++) {
            int slot = i;
            synchronized (this) {
                instances.add(newInstance());
            }
            Thread poller = Thread.ofPlatform()
                    .name(harness.integration + "-instance-" + i)
                    .daemon()
                    .start(() -> poll(slot));
            pollers.add(poller);
        }
    }

    private Instance newInstance() {
        Mishap mishap = new Mishap(tickets, freeze);
        SyncPipeline pipeline = harness.pipeline(config, Clock.systemUTC(), mishap);
        LocalEventSourceMapping mapping = new LocalEventSourceMapping(
                harness.aws.sqs(),
                harness.queues.queueUrl(),
                harness.queues.queueArn(),
                (batch, context) -> {
                    SQSBatchResponse response = pipeline.process(batch, context);
                    if (mishap.crashed()) {
                        throw new InstanceDied();
                    }
                    return response;
                },
                functionTimeout);
        return new Instance(pipeline, mishap, mapping);
    }

    private void poll(int slot) {
        while (running.get()) {
            Instance instance;
            synchronized (this) {
                instance = instances.get(slot);
            }
            try {
                LocalEventSourceMapping.Invocation invocation =
                        instance.mapping().pollOnce();
                if (invocation.received() == 0) {
                    Thread.sleep(100);
                }
            } catch (InstanceDied died) {
                crashes.incrementAndGet();
                synchronized (this) {
                    instances.set(slot, newInstance());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a poller's own SQS call failing (e.g. at shutdown); Lambda's poller retries too
                pollerErrors.incrementAndGet();
                sleepQuietly();
            }
        }
    }

    int size() {
        return pollers.size();
    }

    /** Stops polling; waits for the invocations in progress (bounded by the function timeout and a freeze). */
    @Override
    public void close() {
        running.set(false);
        for (Thread poller : pollers) {
            try {
                poller.join(functionTimeout.plus(freeze).plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
