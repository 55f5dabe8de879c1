package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import dev.crmsync.synccore.event.EventParser;
import dev.crmsync.synccore.event.ParsedMessage;
import dev.crmsync.synccore.event.SchemaValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector's key generations, remaps and second closes, called directly with hand-built
 * requests against the Stripe sandbox: the request's key generation and retry flag are what the
 * pipeline will pass once it stores generations, so the connector's own logic is pinned here.
 */
class StripeConnectorTest {
    private static final String KEY = "sk_test_51ConnectorTestKey0001";
    private static final EventParser PARSER =
            new EventParser(new ObjectMapper(), SchemaValidator.fromClasspath(), EventParser.DEFAULT_MAX_BODY_BYTES);

    private final StripeSandbox stripe = StripeSandbox.shared();
    private StripeConnector connector;

    @BeforeEach
    void connect() {
        stripe.reset();
        stripe.acceptApiKeys(KEY);
        connector = new StripeConnector(new ConnectorSettings(
                Optional.of(URI.create(stripe.baseUrl())),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()));
    }

    @Test
    void aReplayedServerErrorWithNoCustomerBehindItMovesToTheNextKeyGeneration() {
        String account = TestEvents.unique("001");
        CrmEvent v1 = event(TestEvents.accountUpserted(account, 1, "Acme"));
        stripe.failAfterStartNext("POST", "/v1/customers", 1, 500);

        SyncResult first = connector.apply(firstAttempt(v1, Optional.empty(), 0));
        assertThat(first)
                .isInstanceOfSatisfying(
                        SyncResult.Failed.class,
                        f -> assertThat(f.failure())
                                .isInstanceOf(SyncFailure.Retryable.class)
                                .extracting(SyncFailure::errorClass)
                                .isEqualTo("vendor_5xx"));

        SyncResult retried = connector.apply(retry(v1, Optional.empty(), 0));
        assertThat(retried).isInstanceOfSatisfying(SyncResult.Applied.class, applied -> {
            assertThat(applied.keyGeneration()).isEqualTo(1);
            assertThat(applied.externalId())
                    .isEqualTo(stripe.customers().getFirst().get("id"));
        });
        assertThat(stripe.customers())
                .singleElement()
                .satisfies(c -> assertThat(c).containsEntry("name", "Acme"));
        assertThat(stripe.calls("POST", "/v1/customers"))
                .extracting(RecordedCall::idempotencyKey, RecordedCall::status, RecordedCall::replayed)
                .containsExactly(
                        tuple("billing:customer-create:" + account, 500, false),
                        tuple("billing:customer-create:" + account, 500, true),
                        tuple("billing:customer-create:" + account + ":g1", 200, false));
        assertThat(stripe.calls("POST", "/v1/customers/cus_.*"))
                .extracting(RecordedCall::idempotencyKey)
                .containsExactly("billing:customer-update:" + account + ":v1:g1");

        // a crash before the commit, retried within Stripe's search lag: the pipeline hands the same
        // request again, and it reaches the same keys and the same customer
        stripe.setSearchLag(Duration.ofMinutes(5));
        SyncResult again = connector.apply(retry(v1, Optional.empty(), 0));
        assertThat(again).isInstanceOfSatisfying(SyncResult.Applied.class, applied -> {
            assertThat(applied.externalId()).isEqualTo(((SyncResult.Applied) retried).externalId());
            assertThat(applied.keyGeneration()).isEqualTo(1);
        });
        assertThat(stripe.customers()).hasSize(1);
        assertThat(stripe.calls("POST", "/v1/customers/cus_.*"))
                .extracting(RecordedCall::replayed)
                .containsExactly(false, true);
    }

    @Test
    void aReplayedServerErrorWhoseCustomerWasCreatedUsesThatCustomer() {
        String account = TestEvents.unique("001");
        CrmEvent v1 = event(TestEvents.accountUpserted(account, 1, "Acme"));
        stripe.failAfterWorkNext("POST", "/v1/customers", 1, 502);
        connector.apply(firstAttempt(v1, Optional.empty(), 0));

        // not marked as a retry, so no lookup comes first: the replayed 502 alone leads to the customer
        SyncResult second = connector.apply(firstAttempt(v1, Optional.empty(), 0));

        assertThat(second).isInstanceOfSatisfying(SyncResult.Applied.class, applied -> {
            assertThat(applied.keyGeneration()).isZero();
            assertThat(applied.externalId())
                    .isEqualTo(stripe.customers().getFirst().get("id"));
        });
        assertThat(stripe.customers())
                .singleElement()
                .satisfies(c -> assertThat(c).containsEntry("name", "Acme"));
        assertThat(stripe.calls("POST", "/v1/customers"))
                .extracting(RecordedCall::idempotencyKey)
                .containsOnly("billing:customer-create:" + account);
    }

    @Test
    void aCustomerDeletedInStripeIsReplacedOnceAndReportedAsRemapped() {
        String account = TestEvents.unique("001");
        SyncResult.Applied v1 = (SyncResult.Applied) connector.apply(
                firstAttempt(event(TestEvents.accountUpserted(account, 1, "Acme")), Optional.empty(), 0));
        stripe.deleteCustomer(v1.externalId());
        CrmEvent v2 = event(TestEvents.accountUpserted(account, 2, "Acme Two"));

        SyncResult remapped = connector.apply(firstAttempt(v2, Optional.of(v1.externalId()), 0));

        String replacement = stripe.customers().getFirst().get("id");
        assertThat(remapped).isInstanceOfSatisfying(SyncResult.Applied.class, applied -> {
            assertThat(applied.externalId()).isEqualTo(replacement).isNotEqualTo(v1.externalId());
            assertThat(applied.keyGeneration()).isEqualTo(1);
            assertThat(applied.remapped()).hasValueSatisfying(r -> {
                assertThat(r.previousExternalId()).isEqualTo(v1.externalId());
                assertThat(r.reason()).contains("deleted");
            });
        });
        assertThat(stripe.customers())
                .singleElement()
                .satisfies(c ->
                        assertThat(c).containsEntry("name", "Acme Two").containsEntry("metadata[crm_id]", account));

        // the commit was lost: the retry reaches the same replacement, not a third customer
        stripe.setSearchLag(Duration.ofMinutes(5));
        SyncResult again = connector.apply(retry(v2, Optional.of(v1.externalId()), 0));
        assertThat(again)
                .isInstanceOfSatisfying(
                        SyncResult.Applied.class,
                        applied -> assertThat(applied.externalId()).isEqualTo(replacement));
        assertThat(stripe.customers()).hasSize(1);
        assertThat(stripe.calls("POST", "/v1/customers"))
                .extracting(RecordedCall::idempotencyKey)
                .containsExactly(
                        "billing:customer-create:" + account,
                        "billing:customer-create:" + account + ":g1",
                        "billing:customer-create:" + account + ":g1");
    }

    @Test
    void aCustomerDeletedInStripeBeforeItsCreateWasCommittedIsReplacedNotDeadLettered() {
        // the first attempt created the customer but its commit was lost; then a person deleted it
        String account = TestEvents.unique("001");
        CrmEvent v1 = event(TestEvents.accountUpserted(account, 1, "Acme"));
        SyncResult.Applied uncommitted = (SyncResult.Applied) connector.apply(firstAttempt(v1, Optional.empty(), 0));
        stripe.deleteCustomer(uncommitted.externalId());

        // the retry's search finds no live customer, and Stripe replays the first create: the deleted customer
        SyncResult retried =
                connector.apply(retry(event(TestEvents.accountUpserted(account, 2, "Acme Two")), Optional.empty(), 0));

        assertThat(retried).isInstanceOf(SyncResult.Applied.class);
        String replacement = stripe.customers().getFirst().get("id");
        assertThat(retried).isInstanceOfSatisfying(SyncResult.Applied.class, applied -> {
            assertThat(applied.externalId()).isEqualTo(replacement).isNotEqualTo(uncommitted.externalId());
            assertThat(applied.keyGeneration()).isEqualTo(1);
            assertThat(applied.remapped())
                    .hasValueSatisfying(r -> assertThat(r.previousExternalId()).isEqualTo(uncommitted.externalId()));
        });
        assertThat(stripe.customers())
                .singleElement()
                .satisfies(c ->
                        assertThat(c).containsEntry("name", "Acme Two").containsEntry("metadata[crm_id]", account));
    }

    @Test
    void aSecondCloseWithAnotherAmountAfterAnUncommittedFirstKeepsTheFirstAmount() {
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        SyncResult.Applied customer = (SyncResult.Applied) connector.apply(
                firstAttempt(event(TestEvents.accountUpserted(account, 1, "Acme")), Optional.empty(), 0));
        Map<RecordRef, String> dependencies = Map.of(new RecordRef("account", account), customer.externalId());
        // the first close gets its draft and its line, then its finalize never reaches Stripe
        stripe.resetConnectionNext("POST", "/v1/invoices/in_.*/finalize", 1);
        SyncResult first = connector.apply(request(
                event(TestEvents.dealClosed(deal, account, "700.00", "evt-1-" + deal)),
                Optional.empty(),
                false,
                0,
                dependencies));
        assertThat(first).isInstanceOf(SyncResult.Failed.class);

        // within Stripe's search lag, a second close of the deal with another amount
        stripe.setSearchLag(Duration.ofMinutes(5));
        SyncResult second = connector.apply(request(
                event(TestEvents.dealClosed(deal, account, "900.00", "evt-2-" + deal)),
                Optional.empty(),
                true,
                0,
                dependencies));

        assertThat(second).isInstanceOf(SyncResult.Applied.class);
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("status", "open").containsEntry("amount_due", "70000"));
        assertThat(stripe.invoiceItems())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("amount", "70000"));
        assertThat(stripe.calls()).noneMatch(c -> c.status() == 400);
        assertThat(((SyncResult.Applied) second).externalIds())
                .containsEntry("invoiceItem", stripe.invoiceItems().getFirst().get("id"));
    }

    @Test
    void aKeyStripeSawWithOtherParametersIsAnotherAttemptsAndMovesToTheNextGeneration() {
        String account = TestEvents.unique("001");
        String deal = TestEvents.unique("006");
        SyncResult.Applied customer = (SyncResult.Applied) connector.apply(
                firstAttempt(event(TestEvents.accountUpserted(account, 1, "Acme")), Optional.empty(), 0));
        Map<RecordRef, String> dependencies = Map.of(new RecordRef("account", account), customer.externalId());
        CrmEvent close = event(TestEvents.dealClosed(deal, account, "700.00", "evt-1-" + deal));
        // the item's key gets a stored 500 with these terms
        stripe.failAfterStartNext("POST", "/v1/invoiceitems", 1, 500);
        assertThat(connector.apply(
                        withTerms(request(close, Optional.empty(), false, 0, dependencies), "70000", "First")))
                .isInstanceOf(SyncResult.Failed.class);

        // an attempt with other terms under the same key (an action claimed before its terms were pinned)
        SyncResult second =
                connector.apply(withTerms(request(close, Optional.empty(), true, 0, dependencies), "90000", "Second"));

        assertThat(second)
                .isInstanceOfSatisfying(
                        SyncResult.Applied.class,
                        applied -> assertThat(applied.keyGeneration()).isEqualTo(1));
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("status", "open"));
        assertThat(stripe.invoiceItems())
                .singleElement()
                .satisfies(i -> assertThat(i).containsEntry("amount", "90000").containsEntry("description", "Second"));
        assertThat(stripe.calls("POST", "/v1/invoiceitems"))
                .extracting(RecordedCall::idempotencyKey, RecordedCall::status)
                .containsExactly(
                        tuple("billing:invoice-item:" + deal, 500),
                        tuple("billing:invoice-item:" + deal, 400),
                        tuple("billing:invoice-item:" + deal + ":g1", 200));
    }

    @Test
    void accountsWhoseIdsDifferOnlyInCaseNeverShareACustomer() {
        // Salesforce ids are case-sensitive; Stripe's metadata search is not
        String base = TestEvents.unique("001");
        SyncResult.Applied first = (SyncResult.Applied) connector.apply(
                firstAttempt(event(TestEvents.accountUpserted(base + "aB", 1, "First")), Optional.empty(), 0));

        // the second account's create is retried (a crash or a timeout before anything reached Stripe)
        SyncResult second = connector.apply(
                retry(event(TestEvents.accountUpserted(base + "Ab", 1, "Second")), Optional.empty(), 0));

        assertThat(second)
                .isInstanceOfSatisfying(
                        SyncResult.Applied.class,
                        applied -> assertThat(applied.externalId()).isNotEqualTo(first.externalId()));
        assertThat(stripe.customers()).hasSize(2);
        assertThat(stripe.customerByCrmId(base + "aB"))
                .hasValueSatisfying(c ->
                        assertThat(c).containsEntry("id", first.externalId()).containsEntry("name", "First"));
        assertThat(stripe.customerByCrmId(base + "Ab"))
                .hasValueSatisfying(c -> assertThat(c)
                        .containsEntry("id", ((SyncResult.Applied) second).externalId())
                        .containsEntry("name", "Second"));
    }

    @Test
    void dealsWhoseIdsDifferOnlyInCaseNeverShareAnInvoice() {
        String account = TestEvents.unique("001");
        String base = TestEvents.unique("006");
        SyncResult.Applied customer = (SyncResult.Applied) connector.apply(
                firstAttempt(event(TestEvents.accountUpserted(account, 1, "Acme")), Optional.empty(), 0));
        Map<RecordRef, String> dependencies = Map.of(new RecordRef("account", account), customer.externalId());
        SyncResult.Applied first = (SyncResult.Applied) connector.apply(request(
                event(TestEvents.dealClosed(base + "aB", account, "700.00", "evt-" + base + "aB")),
                Optional.empty(),
                false,
                0,
                dependencies));

        SyncResult second = connector.apply(request(
                event(TestEvents.dealClosed(base + "Ab", account, "900.00", "evt-" + base + "Ab")),
                Optional.empty(),
                true,
                0,
                dependencies));

        assertThat(second)
                .isInstanceOfSatisfying(
                        SyncResult.Applied.class,
                        applied -> assertThat(applied.externalId()).isNotEqualTo(first.externalId()));
        assertThat(stripe.invoices())
                .extracting(i -> i.get("metadata[crm_deal_id]"), i -> i.get("amount_due"), i -> i.get("status"))
                .containsExactlyInAnyOrder(tuple(base + "aB", "70000", "open"), tuple(base + "Ab", "90000", "open"));
    }

    /** The request as the claim hands it over: with the action's pinned terms. */
    private static SyncRequest withTerms(SyncRequest request, String amountMinor, String description) {
        return new SyncRequest(
                request.event(),
                request.operation(),
                request.externalId(),
                request.externalIds(),
                request.retry(),
                request.keyGeneration(),
                request.dependencies(),
                request.credentials(),
                request.calls(),
                Map.of("amount", amountMinor, "currency", "usd", "description", description),
                Set.of(),
                Optional.empty());
    }

    private static CrmEvent event(String body) {
        return ((ParsedMessage.Valid) PARSER.parse(body, "message-1")).event();
    }

    private SyncRequest firstAttempt(CrmEvent event, Optional<String> externalId, int keyGeneration) {
        return request(event, externalId, false, keyGeneration, Map.of());
    }

    private SyncRequest retry(CrmEvent event, Optional<String> externalId, int keyGeneration) {
        return request(event, externalId, true, keyGeneration, Map.of());
    }

    private SyncRequest request(
            CrmEvent event,
            Optional<String> externalId,
            boolean retry,
            int keyGeneration,
            Map<RecordRef, String> dependencies) {
        return new SyncRequest(
                event,
                connector.plan(event),
                externalId,
                Map.of(),
                retry,
                keyGeneration,
                dependencies,
                new Credentials(Map.of("apiKey", KEY)),
                new CallBudget(Clock.systemUTC().instant().plusSeconds(30), Duration.ofSeconds(5), Clock.systemUTC()));
    }
}
