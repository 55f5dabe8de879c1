package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.testkit.LocalAws;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first sync into a Stripe account that already holds customers made by hand: crm-sync never
 * adopts a customer by its e-mail address (Stripe does not make addresses unique), so the account
 * gets its own customer, and the one made by hand is neither changed nor invoiced.
 */
class BillingFirstSyncTest {
    private final StripeSandbox stripe = StripeSandbox.shared();

    @RegisterExtension
    final LocalDeployment<BillingHarness> local =
            LocalDeployment.of(stripe, () -> new BillingHarness(LocalAws.get(), stripe, 5, 30));

    @Test
    void aCustomerMadeByHandWithTheAccountsEmailIsLeftAloneAndTheAccountGetsItsOwn() {
        String email = TestEvents.sample("valid/account.upserted.json")
                .at("/detail/data/email")
                .asText();
        String byHand = stripe.addCustomerByHand(
                Map.of("email", email, "name", "Acme (entered by hand)", "metadata[plan]", "legacy"));
        Map<String, String> before = stripe.customers().getFirst();
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");

        local.harness().send(TestEvents.accountUpserted(account, 1, "Acme Corporation"));
        local.esm().drain(Duration.ofSeconds(20));
        local.harness().send(TestEvents.dealClosed(deal, account, "99.00", "evt-" + deal));
        local.esm().drain(Duration.ofSeconds(20));

        Map<String, String> synced = stripe.customerByCrmId(account).orElseThrow();
        assertThat(synced.get("id")).isNotEqualTo(byHand);
        assertThat(synced).containsEntry("email", email).containsEntry("name", "Acme Corporation");
        assertThat(stripe.customers())
                .filteredOn(c -> c.get("id").equals(byHand))
                .singleElement()
                .isEqualTo(before);
        assertThat(stripe.calls("POST", "/v1/customers/" + byHand)).isEmpty();
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(invoice -> assertThat(invoice)
                        .containsEntry("customer", synced.get("id"))
                        .containsEntry("metadata[crm_deal_id]", deal));
        assertThat(local.harness().accountItem(account).get("externalId").s()).isEqualTo(synced.get("id"));
    }
}
