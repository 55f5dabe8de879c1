package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.ProcessCrash;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.synccore.pipeline.SyncPipeline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Stripe's failures on real local servers: a timed-out create, a server error Stripe stored under
 * an idempotency key, a customer deleted by hand, crashes between Stripe's calls and the commit
 * (with and without Stripe's idempotency keys and search), and a redriven message that applies
 * once after Stripe forgot its keys. What every vendor's failures have in common is tested on the
 * example connector (sync-harness, FaultTest).
 */
class BillingFaultTest {
    private final StripeSandbox stripe = StripeSandbox.shared();

    @RegisterExtension
    final LocalDeployment<BillingHarness> local = LocalDeployment.of(stripe, () -> new BillingHarness(stripe, 4, 30));

    @Test
    void timeoutIsRetriedAndTheLateCreateIsNotDuplicated() {
        String account = TestEvents.unique("001");
        // Stripe executes the create but answers after the client gave up (2 s).
        stripe.delayNext("POST", "/v1/customers", 1, Duration.ofSeconds(3));
        local.harness().send(TestEvents.accountUpserted(account, 1, "Acme"));

        local.esm().pollOnce();
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("errorClass")
                        .s())
                .isEqualTo("timeout");
        local.esm().drain(Duration.ofSeconds(20));
        assertThat(stripe.customers()).hasSize(1);
        assertThat(local.harness().accountItem(account).get("externalId").s())
                .isEqualTo(stripe.customers().getFirst().get("id"));
    }

    @Test
    void aServerErrorStripeStoredUnderTheKeyIsNotReplayedIntoTheDlq() {
        String account = TestEvents.unique("001");
        // Stripe fails inside the create and keeps that 500 under the key for 24 h
        stripe.failAfterStartNext("POST", "/v1/customers", 1, 500);
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(stripe.customers())
                .singleElement()
                .satisfies(c -> assertThat(c).containsEntry("name", "Acme"));
        assertThat(local.harness().accountItem(account).get("externalId").s())
                .isEqualTo(stripe.customers().getFirst().get("id"));
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("outcome")
                        .s())
                .isEqualTo("APPLIED");
        assertThat(stripe.calls("POST", "/v1/customers"))
                .extracting(RecordedCall::idempotencyKey, RecordedCall::status)
                .containsExactly(
                        tuple("billing:customer-create:" + account, 500),
                        tuple("billing:customer-create:" + account, 500),
                        tuple("billing:customer-create:" + account + ":g1", 200));
    }

    @Test
    void aCustomerDeletedInStripeIsCreatedAgainWithTheNextVersion() {
        String account = TestEvents.unique("001");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));
        String deleted = local.harness().accountItem(account).get("externalId").s();
        stripe.deleteCustomer(deleted);

        local.deliver(TestEvents.accountUpserted(account, 2, "Acme Renamed"));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(stripe.customers())
                .singleElement()
                .satisfies(c -> assertThat(c)
                        .containsEntry("name", "Acme Renamed")
                        .containsEntry("metadata[crm_id]", account)
                        .containsEntry("metadata[crm_version]", "2"));
        String replacement = stripe.customers().getFirst().get("id");
        assertThat(replacement).isNotEqualTo(deleted);
        assertThat(local.harness().accountItem(account).get("externalId").s()).isEqualTo(replacement);
        assertThat(local.harness().accountItem(account).get("appliedVersion").n())
                .isEqualTo("2");
    }

    @Test
    void aSecondCloseWithAnotherAmountAfterACrashCompletesTheFirstInvoice() throws InterruptedException {
        // the crashed attempt's message stays invisible for the queue's 30 s; its lease ends with its 3 s invocation
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));
        stripe.setSearchLag(Duration.ofMinutes(5));
        ProcessCrash crash = new ProcessCrash();
        local.harness().send(TestEvents.dealClosed(deal, account, "700.00", "evt-1-" + deal));
        local.harness()
                .eventSourceMapping(local.harness().pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3))
                .pollOnce();
        assertThat(crash.happened()).isTrue();
        Instant leaseEnds = Instant.ofEpochMilli(Long.parseLong(
                local.harness().invoiceItem(deal).get("leaseUntil").n()));
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), leaseEnds).toMillis() + 200));

        local.harness().send(TestEvents.dealClosed(deal, account, "900.00", "evt-2-" + deal));
        local.esm().pollOnce();

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(stripe.calls()).noneMatch(c -> c.status() == 400);
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("status", "open").containsEntry("amount_due", "70000"));
        assertThat(stripe.invoiceItems())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("amount", "70000"));
        Map<String, AttributeValue> action = local.harness().invoiceItem(deal);
        assertThat(action.get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(action.get("externalId").s())
                .isEqualTo(stripe.invoices().getFirst().get("id"));
    }

    @Test
    void aSecondCloseAfterAStoredServerErrorOnTheItemInvoicesTheDealOnceWithTheFirstClaimsTerms() {
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));
        // Stripe fails inside the item's create and keeps that 500 under billing:invoice-item:<deal>
        stripe.failAfterStartNext("POST", "/v1/invoiceitems", 1, 500);
        local.harness().send(TestEvents.dealClosed(deal, account, "700.00", "First name", "evt-1-" + deal));
        local.esm().pollOnce();
        assertThat(local.harness().statusItem("evt-1-" + deal).get("errorClass").s())
                .isEqualTo("vendor_5xx");

        // while the first close waits for its retry, a second close of the deal with another name and amount
        local.harness().send(TestEvents.dealClosed(deal, account, "900.00", "Second name", "evt-2-" + deal));
        local.esm().pollOnce();
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(stripe.calls()).noneMatch(c -> c.status() == 400);
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("status", "open").containsEntry("amount_due", "70000"));
        assertThat(stripe.invoiceItems())
                .singleElement()
                .satisfies(
                        i -> assertThat(i).containsEntry("amount", "70000").containsEntry("description", "First name"));
        assertThat(stripe.calls("POST", "/v1/invoiceitems"))
                .extracting(RecordedCall::idempotencyKey, RecordedCall::status, RecordedCall::replayed)
                .containsExactly(
                        tuple("billing:invoice-item:" + deal, 500, false),
                        tuple("billing:invoice-item:" + deal, 500, true),
                        tuple("billing:invoice-item:" + deal + ":g1", 200, false));
        assertThat(local.harness().invoiceItem(deal).get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(local.harness().statusItem("evt-1-" + deal).get("outcome").s())
                .isEqualTo("SKIPPED");
    }

    @Test
    void crashAfterTheStripeCallsBeforeTheCommitCreatesNothingNew() throws InterruptedException {
        // A queue whose visibility timeout (3 s) is what a dead instance leaves its message with.
        local.redeploy(() -> new BillingHarness(stripe, 4, 3));
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));

        // Stripe's search lags behind writes (up to a minute): within that window, only the
        // idempotency keys stand between the retry and a second invoice.
        stripe.setSearchLag(Duration.ofMinutes(5));
        ProcessCrash crash = new ProcessCrash();
        SyncPipeline doomed = local.harness().pipeline(Clock.systemUTC(), crash);
        local.harness().send(TestEvents.dealClosed(deal, account, "700.00", "evt-" + deal));
        local.harness().eventSourceMapping(doomed, Duration.ofSeconds(3)).pollOnce();
        assertThat(crash.happened()).isTrue();
        assertThat(stripe.invoices()).hasSize(1);
        assertThat(local.harness().invoiceItem(deal).get("leaseEvent").s()).isEqualTo("evt-" + deal);

        // The dead instance's lease ends with its 3 s invocation, its message returns after 3 s.
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(stripe.invoices()).hasSize(1);
        assertThat(stripe.invoiceItems()).hasSize(1);
        List<RecordedCall> creates = stripe.calls("POST", "/v1/invoices");
        assertThat(creates).hasSize(2);
        assertThat(creates.get(1).idempotencyKey()).isEqualTo(creates.get(0).idempotencyKey());
        assertThat(creates.get(1).params()).isEqualTo(creates.get(0).params());
        assertThat(creates.get(1).replayed()).isTrue();
        // the replay shows the draft as it was created; the invoice read by id shows it finalized
        assertThat(stripe.calls("GET", "/v1/invoices/in_.*")).hasSize(1);
        assertThat(stripe.calls("POST", "/v1/invoiceitems")).hasSize(1);
        assertThat(stripe.calls("POST", "/v1/invoices/in_.*/finalize")).hasSize(1);
        assertThat(stripe.invoices().getFirst()).containsEntry("status", "open");
        Map<String, AttributeValue> action = local.harness().invoiceItem(deal);
        assertThat(action.get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(action.get("externalId").s())
                .isEqualTo(stripe.invoices().getFirst().get("id"));
        assertThat(action).doesNotContainKey("leaseOwner");
    }

    @Test
    void retryAfterStripeForgotTheIdempotencyKeysFindsTheEarlierInvoice() {
        local.redeploy(() -> new BillingHarness(stripe, 4, 3));
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));
        ProcessCrash crash = new ProcessCrash();
        local.harness().send(TestEvents.dealClosed(deal, account, "700.00", "evt-" + deal));
        local.harness()
                .eventSourceMapping(local.harness().pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3))
                .pollOnce();
        assertThat(crash.happened()).isTrue();

        // more than 24 h later (a DLQ redrive): the keys are gone, the search index has caught up
        stripe.forgetIdempotencyKeys();
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("status", "open"));
        assertThat(stripe.invoiceItems()).hasSize(1);
        assertThat(stripe.calls("POST", "/v1/invoices")).hasSize(1);
        assertThat(local.harness().invoiceItem(deal).get("actionStatus").s()).isEqualTo("COMPLETED");
    }

    @Test
    void crashAfterTheCustomerCreateBeforeTheCommitLeavesOneCustomer() {
        local.redeploy(() -> new BillingHarness(stripe, 4, 3));
        String account = TestEvents.unique("001");
        stripe.setSearchLag(Duration.ofMinutes(5));
        ProcessCrash crash = new ProcessCrash();
        local.harness().send(TestEvents.accountUpserted(account, 1, "Acme"));
        local.harness()
                .eventSourceMapping(local.harness().pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3))
                .pollOnce();
        assertThat(crash.happened()).isTrue();

        local.esm().drain(Duration.ofSeconds(20));

        assertThat(stripe.customers()).hasSize(1);
        assertThat(local.harness().accountItem(account).get("externalId").s())
                .isEqualTo(stripe.customers().getFirst().get("id"));
        List<RecordedCall> updates = stripe.calls("POST", "/v1/customers/cus_.*");
        assertThat(updates).hasSize(2);
        assertThat(updates.get(1).idempotencyKey()).isEqualTo(updates.get(0).idempotencyKey());
        assertThat(updates.get(1).params()).isEqualTo(updates.get(0).params());
    }

    @Test
    void dlqMessageMovedBackAfterTheFixIsAppliedOnce() throws InterruptedException {
        String account = TestEvents.unique("001");
        // the customer is created, then its update is rejected: the attempt fails after a create
        stripe.rejectNext(
                "POST", "/v1/customers/cus_.*", 1, 400, "invalid_request_error", "email_invalid", "Invalid email");
        local.deliver(TestEvents.accountUpserted(account, 1, "Acme"));
        assertThat(local.harness().dlqMessages()).hasSize(1);
        assertThat(stripe.customers()).hasSize(1);

        // on-call fixes the cause days later — Stripe has forgotten the keys — then
        // "Start DLQ redrive" → "Redrive to source queue(s)"
        stripe.forgetIdempotencyKeys();
        local.harness().redriveTheDlq();
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(stripe.customers())
                .singleElement()
                .satisfies(c ->
                        assertThat(c).containsEntry("metadata[crm_id]", account).containsEntry("name", "Acme"));
        assertThat(local.harness().accountItem(account).get("appliedVersion").n())
                .isEqualTo("1");
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("outcome")
                        .s())
                .isEqualTo("APPLIED");

        // redriving again months later is recognised as a duplicate
        local.harness().send(TestEvents.accountUpserted(account, 1, "Acme", "evt-" + account + "-v1"));
        local.esm().drain(Duration.ofSeconds(10));
        assertThat(stripe.customers()).hasSize(1);
    }
}
