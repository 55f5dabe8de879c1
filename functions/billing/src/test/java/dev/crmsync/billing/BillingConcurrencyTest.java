package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Two function instances (separate pipelines and clients, one table, one queue) handle two
 * versions of one record at the same moment while Stripe is slowed down, many times over: Stripe
 * never receives the older state after the newer one, and two events for one closed deal never
 * make two invoices. Bounded: a fixed number of rounds on loopback.
 */
class BillingConcurrencyTest {
    private static final int ROUNDS = 25;
    private final StripeSandbox stripe = StripeSandbox.shared();
    private BillingHarness harness;
    private LocalEventSourceMapping instanceA;
    private LocalEventSourceMapping instanceB;

    @BeforeEach
    void deploy() {
        stripe.reset();
        harness = new BillingHarness(stripe, 10, 30);
        instanceA = harness.eventSourceMapping(harness.pipeline());
        instanceB = harness.eventSourceMapping(harness.pipeline());
    }

    @Test
    void twoVersionsAtTheSameMomentNeverPutTheOlderStateOverTheNewer() {
        List<String> accounts = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String account = TestEvents.unique("001");
            accounts.add(account);
            harness.send(TestEvents.accountUpserted(account, 1, "v1"));
        }
        instanceA.drain(Duration.ofSeconds(20));

        stripe.setLatency(Duration.ofMillis(40));
        for (String account : accounts) {
            harness.send(TestEvents.accountUpserted(account, 2, "v2"));
            harness.send(TestEvents.accountUpserted(account, 3, "v3"));
            List<Message> both = receiveTwo();
            if (ThreadLocalRandom.current().nextBoolean()) {
                both = both.reversed();
            }
            invokeAtTheSameMoment(both.get(0), both.get(1));
        }
        stripe.setLatency(Duration.ZERO);
        // whatever was busy comes back after its short backoff
        instanceA.drain(Duration.ofSeconds(30));

        for (String account : accounts) {
            List<Long> versionsInArrivalOrder = stripe.calls("POST", "/v1/customers/cus_.*").stream()
                    .filter(c -> account.equals(c.params().get("metadata[crm_id]")))
                    .filter(c -> c.status() == 200)
                    .sorted(Comparator.comparing(RecordedCall::at))
                    .map(c -> Long.parseLong(c.params().get("metadata[crm_version]")))
                    .toList();
            assertThat(versionsInArrivalOrder).as(account).isSorted().endsWith(3L);
            assertThat(stripe.customerByCrmId(account)).get().satisfies(c -> assertThat(c).containsEntry("name", "v3"));
            assertThat(harness.accountItem(account).get("appliedVersion").n()).isEqualTo("3");
        }
        assertThat(stripe.customers()).hasSize(ROUNDS);
        assertThat(harness.dlqMessages()).isEmpty();
    }

    @Test
    void twoEventsForOneClosedDealAtTheSameMomentMakeOneInvoice() {
        String account = TestEvents.unique("001");
        harness.send(TestEvents.accountUpserted(account, 1, "Acme"));
        instanceA.drain(Duration.ofSeconds(10));
        List<String> deals = new ArrayList<>();
        stripe.setLatency(Duration.ofMillis(40));
        for (int round = 0; round < ROUNDS; round++) {
            String deal = TestEvents.unique("006");
            deals.add(deal);
            harness.send(TestEvents.dealClosed(deal, account, "10.00", "evt-a-" + deal));
            harness.send(TestEvents.dealClosed(deal, account, "10.00", "evt-b-" + deal));
            List<Message> both = receiveTwo();
            invokeAtTheSameMoment(both.get(0), both.get(1));
        }
        stripe.setLatency(Duration.ZERO);
        instanceA.drain(Duration.ofSeconds(30));

        assertThat(stripe.invoices()).hasSize(ROUNDS);
        assertThat(stripe.invoiceItems()).hasSize(ROUNDS);
        for (String deal : deals) {
            assertThat(stripe.invoices().stream().filter(i -> deal.equals(i.get("metadata[crm_deal_id]")))).as(deal).hasSize(1);
            assertThat(harness.invoiceItem(deal).get("actionStatus").s()).isEqualTo("COMPLETED");
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
