package dev.crmsync.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Two function instances (separate pipelines and clients, one table, one queue) handling two
 * events at the same moment, the way Lambda's pollers hand a standard queue's messages to
 * concurrent invocations. Every record-syncing integration runs {@link #twoVersionsAtTheSameMoment}
 * against its own vendor sandbox and checks with {@link #assertNeverOlderAfterNewer} what the
 * vendor received. Bounded: the caller's fixed number of records, on loopback.
 */
public final class ConcurrencyProbe {
    private final IntegrationHarness harness;
    private final LocalEventSourceMapping instanceA;
    private final LocalEventSourceMapping instanceB;

    public ConcurrencyProbe(IntegrationHarness harness) {
        this.harness = harness;
        this.instanceA = harness.eventSourceMapping(harness.pipeline());
        this.instanceB = harness.eventSourceMapping(harness.pipeline());
    }

    /** An event body for one version of one record. */
    @FunctionalInterface
    public interface VersionedEvent {
        String body(String recordId, long version);
    }

    /**
     * Applies version 1 of every record, then for each record sends versions 2 and 3 and hands
     * them to the two instances at the same moment, in a random order, while the vendor is slowed
     * by {@code slowVendor}; finally drains what came back busy.
     */
    public void twoVersionsAtTheSameMoment(
            List<String> recordIds, VersionedEvent event, Runnable slowVendor, Runnable normalVendor) {
        for (String recordId : recordIds) {
            harness.send(event.body(recordId, 1));
        }
        instanceA.drain(Duration.ofSeconds(20));
        slowVendor.run();
        try {
            for (String recordId : recordIds) {
                harness.send(event.body(recordId, 2));
                harness.send(event.body(recordId, 3));
                List<Message> both = receiveTwo();
                if (ThreadLocalRandom.current().nextBoolean()) {
                    both = both.reversed();
                }
                invokeAtTheSameMoment(both.get(0), both.get(1));
            }
        } finally {
            normalVendor.run();
        }
        // whatever was busy comes back after its short backoff
        instanceA.drain(Duration.ofSeconds(30));
    }

    /** Hands each pair of event bodies to the two instances at the same moment, then drains. */
    public void pairsAtTheSameMoment(List<List<String>> pairs, Runnable slowVendor, Runnable normalVendor) {
        slowVendor.run();
        try {
            for (List<String> pair : pairs) {
                pair.forEach(harness::send);
                List<Message> both = receiveTwo();
                invokeAtTheSameMoment(both.get(0), both.get(1));
            }
        } finally {
            normalVendor.run();
        }
        instanceA.drain(Duration.ofSeconds(30));
    }

    /**
     * For every record, the versions the vendor accepted, in the order it received them, never go
     * backwards and end at version 3; the state table has version 3 applied; nothing is in the DLQ.
     *
     * @param versionsReceived the versions of a record the vendor accepted, in arrival order (from its request log)
     */
    public void assertNeverOlderAfterNewer(
            List<String> recordIds, String object, Function<String, List<Long>> versionsReceived) {
        for (String recordId : recordIds) {
            assertThat(versionsReceived.apply(recordId)).as(recordId).isSorted().endsWith(3L);
            assertThat(harness.recordItem(object, recordId)
                            .get("appliedVersion")
                            .n())
                    .as(recordId)
                    .isEqualTo("3");
        }
        assertThat(harness.dlqMessages()).isEmpty();
    }

    private List<Message> receiveTwo() {
        List<Message> received = new ArrayList<>();
        for (int tries = 0; received.size() < 2 && tries < 50; tries++) {
            received.addAll(instanceA.receive(2 - received.size()));
        }
        assertThat(received).hasSize(2);
        return received;
    }

    private void invokeAtTheSameMoment(Message first, Message second) {
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<?> a = CompletableFuture.runAsync(() -> {
            await(start);
            instanceA.invoke(List.of(first));
        });
        CompletableFuture<?> b = CompletableFuture.runAsync(() -> {
            await(start);
            instanceB.invoke(List.of(second));
        });
        CompletableFuture.allOf(a, b).join();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
