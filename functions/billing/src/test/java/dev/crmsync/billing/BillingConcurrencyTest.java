package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.ConcurrencyProbe;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two function instances handle two versions of one record at the same moment while Stripe is
 * slowed down, many times over (the shared {@link ConcurrencyProbe}): Stripe never receives the
 * older state after the newer one; and two events for one closed deal never make two invoices.
 */
class BillingConcurrencyTest {
    private static final int ROUNDS = 25;
    private final StripeSandbox stripe = StripeSandbox.shared();
    private BillingHarness harness;
    private ConcurrencyProbe probe;

    @BeforeEach
    void deploy() {
        stripe.reset();
        harness = new BillingHarness(stripe, 10, 30);
        probe = new ConcurrencyProbe(harness);
    }

    @Test
    void twoVersionsAtTheSameMomentNeverPutTheOlderStateOverTheNewer() {
        List<String> accounts = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            accounts.add(TestEvents.unique("001"));
        }

        probe.twoVersionsAtTheSameMoment(accounts, (account, version) -> TestEvents.accountUpserted(account, version, "v" + version),
                () -> stripe.setLatency(Duration.ofMillis(40)), () -> stripe.setLatency(Duration.ZERO));

        probe.assertNeverOlderAfterNewer(accounts, "account", account -> stripe.calls("POST", "/v1/customers/cus_.*").stream()
                .filter(c -> account.equals(c.params().get("metadata[crm_id]")))
                .filter(c -> c.status() == 200)
                .sorted(Comparator.comparing(RecordedCall::at))
                .map(c -> Long.parseLong(c.params().get("metadata[crm_version]")))
                .toList());
        for (String account : accounts) {
            assertThat(stripe.customerByCrmId(account)).get().satisfies(c -> assertThat(c).containsEntry("name", "v3"));
        }
        assertThat(stripe.customers()).hasSize(ROUNDS);
    }

    @Test
    void twoEventsForOneClosedDealAtTheSameMomentMakeOneInvoice() {
        String account = TestEvents.unique("001");
        harness.send(TestEvents.accountUpserted(account, 1, "Acme"));
        harness.eventSourceMapping(harness.pipeline()).drain(Duration.ofSeconds(10));
        List<String> deals = new ArrayList<>();
        List<List<String>> pairs = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String deal = TestEvents.unique("006");
            deals.add(deal);
            pairs.add(List.of(TestEvents.dealClosed(deal, account, "10.00", "evt-a-" + deal),
                    TestEvents.dealClosed(deal, account, "10.00", "evt-b-" + deal)));
        }

        probe.pairsAtTheSameMoment(pairs, () -> stripe.setLatency(Duration.ofMillis(40)), () -> stripe.setLatency(Duration.ZERO));

        assertThat(stripe.invoices()).hasSize(ROUNDS);
        assertThat(stripe.invoiceItems()).hasSize(ROUNDS);
        for (String deal : deals) {
            assertThat(stripe.invoices().stream().filter(i -> deal.equals(i.get("metadata[crm_deal_id]")))).as(deal).hasSize(1);
            assertThat(harness.invoiceItem(deal).get("actionStatus").s()).isEqualTo("COMPLETED");
        }
        assertThat(harness.dlqMessages()).isEmpty();
    }
}
