package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A CRM that adds fields the contract does not name (custom fields in {@code data}, metadata in
 * {@code detail}) keeps syncing: the billing pipeline end to end on real local servers (ElasticMQ,
 * dynalite, a Secrets Manager endpoint, the Stripe sandbox), fed with the contract's
 * {@code *.custom-fields.json} samples.
 */
class SchemaEvolutionTest {
    private final StripeSandbox stripe = StripeSandbox.shared();

    @RegisterExtension
    final LocalDeployment<BillingHarness> local = LocalDeployment.of(stripe, () -> new BillingHarness(stripe, 5, 30));

    @Test
    void accountAndClosedDealCarryingFieldsNoSchemaNamesAreApplied() {
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");

        deliver(withIds("valid/account.upserted.custom-fields.json", account, null));
        deliver(withIds("valid/deal.closed.custom-fields.json", deal, account));

        assertThat(local.harness().dlqMessages()).isEmpty();
        Map<String, String> customer = stripe.customerByCrmId(account).orElseThrow();
        assertThat(customer)
                .containsEntry("name", "Acme Corporation")
                .containsEntry("email", "billing@acme.example")
                .containsEntry("address[city]", "San Francisco")
                .containsEntry("address[country]", "US");
        // the unknown fields were ignored: Stripe got the mapped fields and nothing else
        assertThat(stripe.calls("POST", "/v1/customers/cus_.*"))
                .singleElement()
                .satisfies(update -> assertThat(update.params())
                        .containsOnlyKeys(
                                "name",
                                "email",
                                "phone",
                                "description",
                                "address[line1]",
                                "address[line2]",
                                "address[city]",
                                "address[state]",
                                "address[postal_code]",
                                "address[country]",
                                "metadata[crm_id]",
                                "metadata[crm_version]"));
        Map<String, AttributeValue> accountItem = local.harness().accountItem(account);
        assertThat(accountItem.get("externalId").s()).isEqualTo(customer.get("id"));
        assertThat(accountItem.get("appliedVersion").n()).isEqualTo("1773481267512");

        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(invoice -> assertThat(invoice)
                        .containsEntry("customer", customer.get("id"))
                        .containsEntry("status", "open")
                        .containsEntry("metadata[crm_deal_id]", deal));
        assertThat(stripe.invoiceItems())
                .singleElement()
                .satisfies(item -> assertThat(item)
                        .containsEntry("amount", "48000")
                        .containsEntry("currency", "usd")
                        .containsEntry("description", "Acme Corporation - Support Add-on"));
        Map<String, AttributeValue> invoiceItem = local.harness().invoiceItem(deal);
        assertThat(invoiceItem.get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(invoiceItem.get("externalId").s())
                .isEqualTo(stripe.invoices().getFirst().get("id"));
    }

    @Test
    void aUsedFieldOfTheWrongTypeIsStillRejectedAmongUnknownFields() {
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        deliver(withIds("valid/account.upserted.custom-fields.json", account, null));

        ObjectNode envelope = envelope("valid/deal.closed.custom-fields.json", deal, account);
        ((ObjectNode) envelope.get("detail").get("data")).put("amount", "480.00");
        deliver(envelope.toString());

        assertThat(local.harness().dlqMessages()).hasSize(1);
        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + deal);
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("schema_invalid");
        assertThat(status.get("reason").s()).contains("amount");
        assertThat(stripe.calls("POST", "/v1/invoices")).isEmpty();
        assertThat(local.harness().invoiceItem(deal)).isEmpty();
    }

    private void deliver(String body) {
        local.harness().send(body);
        local.esm().drain(Duration.ofSeconds(20));
    }

    private static String withIds(String sample, String recordId, String accountId) {
        return envelope(sample, recordId, accountId).toString();
    }

    /** The sample with a fresh envelope id, event id and record id (and the deal's account). */
    private static ObjectNode envelope(String sample, String recordId, String accountId) {
        ObjectNode envelope = TestEvents.sample(sample);
        envelope.put("id", UUID.randomUUID().toString());
        ObjectNode detail = (ObjectNode) envelope.get("detail");
        detail.put("eventId", "evt-" + recordId);
        detail.put("recordId", recordId);
        if (accountId != null) {
            ((ObjectNode) detail.get("data")).put("accountId", accountId);
        }
        return envelope;
    }
}
