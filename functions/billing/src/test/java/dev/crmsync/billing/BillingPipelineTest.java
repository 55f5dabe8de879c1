package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalAws;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The billing pipeline end to end on real local servers — ElasticMQ (queue + DLQ), DynamoDB
 * Local, a Secrets Manager endpoint and the Stripe sandbox — asserting what Stripe received and
 * holds, and what the state table holds.
 */
class BillingPipelineTest {
    private final StripeSandbox stripe = StripeSandbox.shared();

    @RegisterExtension
    final LocalDeployment<BillingHarness> local =
            LocalDeployment.of(stripe, () -> new BillingHarness(environment(), stripe, 5, 30));

    /** Where the AWS services run; a subclass runs the same tests on LocalStack. */
    AwsEnvironment environment() {
        return LocalAws.get();
    }

    @Test
    void accountUpsertCreatesTheCustomerOnceAndKeepsItAtTheLatestState() {
        String account = TestEvents.unique("001");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme Corp"));

        assertThat(stripe.customers()).hasSize(1);
        Map<String, String> customer = stripe.customers().getFirst();
        assertThat(customer)
                .containsEntry("name", "Acme Corp")
                .containsEntry("metadata[crm_id]", account)
                .containsEntry("metadata[crm_version]", "1");
        Map<String, AttributeValue> item = local.harness().accountItem(account);
        assertThat(item.get("externalId").s()).isEqualTo(customer.get("id"));
        assertThat(item.get("appliedVersion").n()).isEqualTo("1");
        assertThat(item).doesNotContainKeys("leaseOwner", "leaseUntil");

        local.deliver(TestEvents.accountUpserted(account, 2, "Acme Corporation"));
        assertThat(stripe.customers()).hasSize(1);
        assertThat(stripe.customers().getFirst())
                .containsEntry("name", "Acme Corporation")
                .containsEntry("metadata[crm_version]", "2");
        assertThat(stripe.calls("POST", "/v1/customers")).hasSize(1);
        assertThat(stripe.calls("POST", "/v1/customers"))
                .allSatisfy(c -> assertThat(c.params()).containsOnlyKeys("metadata[crm_id]"));
        assertThat(local.harness().accountItem(account).get("appliedVersion").n())
                .isEqualTo("2");
    }

    @Test
    void everyStripeCallAsksForThePinnedApiVersion() {
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme Corp"));
        local.deliver(TestEvents.dealClosed(deal, account, "10.00", "evt-" + deal));

        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("status", "open"));
        assertThat(stripe.calls())
                .hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(call -> assertThat(call.header("Stripe-Version"))
                        .as(call.method() + " " + call.path())
                        .isEqualTo("2026-07-29.dahlia"));
    }

    @Test
    void closedDealBecomesOneInvoiceOfItsAccountsCustomer() {
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme Corp"));
        local.deliver(TestEvents.dealClosed(deal, account, "1250.50", "evt-" + deal));

        String customerId = stripe.customers().getFirst().get("id");
        assertThat(stripe.invoices()).singleElement().satisfies(invoice -> {
            assertThat(invoice)
                    .containsEntry("customer", customerId)
                    .containsEntry("status", "open")
                    .containsEntry("currency", "usd")
                    .containsEntry("metadata[crm_deal_id]", deal)
                    .containsEntry("pending_invoice_items_behavior", "exclude");
        });
        assertThat(stripe.invoiceItems()).singleElement().satisfies(item -> {
            assertThat(item)
                    .containsEntry("amount", "125050")
                    .containsEntry("currency", "usd")
                    .containsEntry("invoice", stripe.invoices().getFirst().get("id"));
        });
        Map<String, AttributeValue> action = local.harness().invoiceItem(deal);
        assertThat(action.get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(action.get("externalId").s())
                .isEqualTo(stripe.invoices().getFirst().get("id"));
        assertThat(action.get("externalIds").m().get("invoiceItem").s())
                .isEqualTo(stripe.invoiceItems().getFirst().get("id"));
    }

    @Test
    void dealWaitsForItsAccountAndIsInvoicedOnceTheAccountIsSynced() {
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        local.harness().send(TestEvents.dealClosed(deal, account, "10.00", "evt-" + deal));
        LocalEventSourceMapping.Invocation first = local.esm().pollOnce();

        assertThat(first.failedMessageIds()).hasSize(1);
        assertThat(local.harness().statusItem("evt-" + deal).get("errorClass").s())
                .isEqualTo("dependency_missing");
        assertThat(local.harness().statusItem("evt-" + deal).get("reason").s()).contains(account);
        assertThat(stripe.calls("POST", "/v1/invoices")).isEmpty();

        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(i -> assertThat(i)
                        .containsEntry("customer", stripe.customers().getFirst().get("id")));
        assertThat(local.harness().statusItem("evt-" + deal).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void aDealReadsItsAccountsMappingInOneBatchThenCostsTwoWrites() {
        String account = TestEvents.unique("001");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));

        String deal = TestEvents.unique("006");
        local.harness().dynamoOperations.clear();
        local.deliver(TestEvents.dealClosed(deal, account, "1.00", "evt-" + deal));
        assertThat(local.harness().count("UpdateItem")).isEqualTo(2);
        assertThat(local.harness().count("BatchGetItem")).isEqualTo(1);
        assertThat(local.harness().count("PutItem") + local.harness().count("TransactWriteItems"))
                .isZero();
    }
}
