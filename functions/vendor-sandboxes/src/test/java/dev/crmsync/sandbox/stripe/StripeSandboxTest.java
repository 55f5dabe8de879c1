package dev.crmsync.sandbox.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.sandbox.RecordedCall;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests the Stripe sandbox itself, over real HTTP with the JDK client. One server for the class. */
class StripeSandboxTest {

    private static final String KEY = "sk_test_51SbxAbCdEfGhIjKlMnOpQrStUvWx9876";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static StripeSandbox stripe;

    @BeforeAll
    static void startSandbox() {
        stripe = StripeSandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        if (stripe != null) {
            stripe.close();
        }
    }

    @BeforeEach
    void resetSandbox() {
        stripe.reset();
        stripe.acceptApiKeys(KEY);
    }

    // ------------------------------------------------------------------ customers

    @Test
    void createsCustomerShapedLikeStripesFixture() throws Exception {
        HttpResponse<String> r = post(
                "/v1/customers",
                null,
                "name",
                "Zoë & Söhne GmbH",
                "email",
                "billing+eu@zoe.example",
                "phone",
                "+49 30 1234",
                "description",
                "from CRM",
                "address[line1]",
                "Hauptstraße 1",
                "address[city]",
                "Berlin",
                "metadata[crm_id]",
                "acc-1",
                "expand[]",
                "tax");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Request-Id"))
                .hasValueSatisfying(v -> assertThat(v).matches("req_\\w+"));
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode c = JSON.readTree(r.body());
        assertThat(c.get("id").asText()).matches("cus_[A-Za-z0-9]{14}");
        assertThat(c.get("object").asText()).isEqualTo("customer");
        assertThat(c.get("name").asText()).isEqualTo("Zoë & Söhne GmbH");
        assertThat(c.get("email").asText()).isEqualTo("billing+eu@zoe.example");
        assertThat(c.get("phone").asText()).isEqualTo("+49 30 1234");
        assertThat(c.get("address").get("line1").asText()).isEqualTo("Hauptstraße 1");
        assertThat(c.get("address").get("postal_code").isNull()).isTrue();
        assertThat(c.get("metadata").get("crm_id").asText()).isEqualTo("acc-1");
        assertThat(c.get("livemode").asBoolean()).isFalse();
        assertThat(c.get("created").asLong()).isGreaterThan(1_700_000_000L);
        // the rest of the shape comes from Stripe's fixture
        assertThat(c.has("invoice_settings")).isTrue();
        assertThat(c.get("tax_exempt").asText()).isEqualTo("none");

        assertThat(stripe.customers()).singleElement().satisfies(m -> {
            assertThat(m)
                    .containsEntry("id", c.get("id").asText())
                    .containsEntry("name", "Zoë & Söhne GmbH")
                    .containsEntry("email", "billing+eu@zoe.example")
                    .containsEntry("address[city]", "Berlin")
                    .containsEntry("metadata[crm_id]", "acc-1")
                    .doesNotContainKey("address[state]");
        });
        assertThat(stripe.calls()).singleElement().satisfies(call -> {
            assertThat(call.method()).isEqualTo("POST");
            assertThat(call.path()).isEqualTo("/v1/customers");
            assertThat(call.params()).containsEntry("metadata[crm_id]", "acc-1").containsEntry("expand[0]", "tax");
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.replayed()).isFalse();
        });
    }

    @Test
    void updatesCustomerByMergingAndEmptyValueUnsetsMetadataKey() throws Exception {
        String id = createCustomer("acc-2", "metadata[tier]", "gold", "name", "Old");

        HttpResponse<String> r =
                post("/v1/customers/" + id, null, "name", "New", "metadata[tier]", "", "metadata[region]", "eu");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode c = JSON.readTree(r.body());
        assertThat(c.get("name").asText()).isEqualTo("New");
        assertThat(c.get("metadata").has("tier")).isFalse();
        assertThat(c.get("metadata").get("crm_id").asText()).isEqualTo("acc-2");
        assertThat(stripe.customerByCrmId("acc-2"))
                .hasValueSatisfying(m -> assertThat(m)
                        .containsEntry("name", "New")
                        .containsEntry("metadata[region]", "eu")
                        .doesNotContainKey("metadata[tier]"));

        HttpResponse<String> missing = post("/v1/customers/cus_doesNotExist01", null, "name", "x");
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode err = JSON.readTree(missing.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.get("code").asText()).isEqualTo("resource_missing");
        assertThat(err.get("param").asText()).isEqualTo("id");
        assertThat(err.get("message").asText()).isEqualTo("No such customer: 'cus_doesNotExist01'");
    }

    @Test
    void retrievesAndSearchesCustomers() throws Exception {
        String id = createCustomer("acc-3");
        createCustomer("acc-4");

        HttpResponse<String> got = get("/v1/customers/" + id);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(got.body()).get("id").asText()).isEqualTo(id);
        assertThat(get("/v1/customers/cus_nope").statusCode()).isEqualTo(404);

        HttpResponse<String> found = get("/v1/customers/search?query=" + enc("metadata['crm_id']:'acc-3'"));
        assertThat(found.statusCode()).isEqualTo(200);
        JsonNode result = JSON.readTree(found.body());
        assertThat(result.get("object").asText()).isEqualTo("search_result");
        assertThat(result.get("url").asText()).isEqualTo("/v1/customers/search");
        assertThat(result.get("has_more").asBoolean()).isFalse();
        assertThat(result.get("data")).hasSize(1);
        assertThat(result.get("data").get(0).get("id").asText()).isEqualTo(id);

        JsonNode none = JSON.readTree(get("/v1/customers/search?query=" + enc("metadata['crm_id']:'nope'"))
                .body());
        assertThat(none.get("data")).isEmpty();

        HttpResponse<String> unsupported = get("/v1/customers/search?query=" + enc("created>1"));
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unsupported.body()).at("/error/param").asText())
                .isEqualTo("query");
    }

    @Test
    void searchMatchesMetadataWithoutRegardToCaseAsStripeDoes() throws Exception {
        // https://docs.stripe.com/search#search-query-language: ':' is an exact match, case insensitive
        String lower = createCustomer("001xx0000000ab");
        String mixed = createCustomer("001xx0000000aB");

        JsonNode result = JSON.readTree(get("/v1/customers/search?query=" + enc("metadata['crm_id']:'001XX0000000AB'"))
                .body());
        assertThat(ids(result)).containsExactly(mixed, lower);
        assertThat(stripe.customerByCrmId("001xx0000000aB"))
                .hasValueSatisfying(c -> assertThat(c).containsEntry("id", mixed));
    }

    @Test
    void searchCanLagBehindWrites() throws Exception {
        stripe.setSearchLag(Duration.ofMinutes(1));
        String id = createCustomer("acc-lag");

        JsonNode result = JSON.readTree(get("/v1/customers/search?query=" + enc("metadata['crm_id']:'acc-lag'"))
                .body());
        assertThat(result.get("data")).isEmpty();
        assertThat(get("/v1/customers/" + id).statusCode()).isEqualTo(200);
        assertThat(stripe.customerByCrmId("acc-lag")).isPresent();
    }

    @Test
    void rejectsUnknownParametersAndNonFormBodies() throws Exception {
        HttpResponse<String> unknown = post("/v1/customers", null, "metadata.crm_id", "x");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).at("/error/code").asText()).isEqualTo("parameter_unknown");

        HttpResponse<String> json = send(HttpRequest.newBuilder(uri("/v1/customers"))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(json.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(stripe.customers()).isEmpty();
    }

    // ------------------------------------------------------------------ invoices

    @Test
    void createsDraftInvoiceAndAddsItemToIt() throws Exception {
        String customer = createCustomer("acc-5");

        HttpResponse<String> inv = post(
                "/v1/invoices",
                null,
                "customer",
                customer,
                "collection_method",
                "send_invoice",
                "days_until_due",
                "14",
                "pending_invoice_items_behavior",
                "exclude",
                "auto_advance",
                "false",
                "description",
                "Deal D-1",
                "metadata[deal_id]",
                "D-1");
        assertThat(inv.statusCode()).isEqualTo(200);
        JsonNode invoice = JSON.readTree(inv.body());
        String invoiceId = invoice.get("id").asText();
        assertThat(invoiceId).matches("in_[A-Za-z0-9]{24}");
        assertThat(invoice.get("object").asText()).isEqualTo("invoice");
        assertThat(invoice.get("status").asText()).isEqualTo("draft");
        assertThat(invoice.get("customer").asText()).isEqualTo(customer);
        assertThat(invoice.get("collection_method").asText()).isEqualTo("send_invoice");
        assertThat(invoice.get("due_date").asLong())
                .isGreaterThan(invoice.get("created").asLong());
        assertThat(invoice.get("lines").get("data")).isEmpty();
        assertThat(invoice.get("amount_due").asLong()).isZero();
        assertThat(invoice.get("metadata").get("deal_id").asText()).isEqualTo("D-1");

        HttpResponse<String> it = post(
                "/v1/invoiceitems",
                null,
                "customer",
                customer,
                "invoice",
                invoiceId,
                "amount",
                "125000",
                "currency",
                "EUR",
                "description",
                "Licence",
                "metadata[line_id]",
                "L-1");
        assertThat(it.statusCode()).as(it.body()).isEqualTo(400); // invoice is usd, item eur

        it = post(
                "/v1/invoiceitems",
                null,
                "customer",
                customer,
                "invoice",
                invoiceId,
                "amount",
                "125000",
                "currency",
                "usd",
                "description",
                "Licence",
                "metadata[line_id]",
                "L-1");
        assertThat(it.statusCode()).as(it.body()).isEqualTo(200);
        JsonNode item = JSON.readTree(it.body());
        assertThat(item.get("id").asText()).startsWith("ii_");
        assertThat(item.get("object").asText()).isEqualTo("invoiceitem");
        assertThat(item.get("invoice").asText()).isEqualTo(invoiceId);
        assertThat(item.get("amount").asLong()).isEqualTo(125000);

        JsonNode after = JSON.readTree(get("/v1/invoices/" + invoiceId).body());
        assertThat(after.get("amount_due").asLong()).isEqualTo(125000);
        assertThat(after.get("total").asLong()).isEqualTo(125000);
        assertThat(after.get("lines").get("data")).hasSize(1);
        assertThat(after.at("/lines/data/0/parent/invoice_item_details/invoice_item")
                        .asText())
                .isEqualTo(item.get("id").asText());

        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .containsEntry("id", invoiceId)
                        .containsEntry("status", "draft")
                        .containsEntry("days_until_due", "14")
                        .containsEntry("pending_invoice_items_behavior", "exclude")
                        .containsEntry("auto_advance", "false")
                        .containsEntry("metadata[deal_id]", "D-1")
                        .containsEntry("amount_due", "125000")
                        .containsEntry("line_count", "1")
                        .containsEntry("invoice_items", item.get("id").asText()));
        assertThat(stripe.invoiceItems())
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .containsEntry("customer", customer)
                        .containsEntry("invoice", invoiceId)
                        .containsEntry("amount", "125000")
                        .containsEntry("currency", "usd")
                        .containsEntry("metadata[line_id]", "L-1"));
    }

    @Test
    void pendingItemsAreIncludedOnlyWhenAsked() throws Exception {
        String customer = createCustomer("acc-6");
        assertThat(post("/v1/invoiceitems", null, "customer", customer, "amount", "500", "currency", "usd")
                        .statusCode())
                .isEqualTo(200);

        JsonNode excluded =
                JSON.readTree(post("/v1/invoices", null, "customer", customer).body());
        assertThat(excluded.get("lines").get("data")).isEmpty();
        JsonNode included = JSON.readTree(
                post("/v1/invoices", null, "customer", customer, "pending_invoice_items_behavior", "include")
                        .body());
        assertThat(included.get("amount_due").asLong()).isEqualTo(500);
        assertThat(stripe.invoiceItems())
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .containsEntry("invoice", included.get("id").asText()));
    }

    @Test
    void invoiceAndItemValidation() throws Exception {
        String a = createCustomer("acc-7");
        String b = createCustomer("acc-8");

        HttpResponse<String> noCustomer = post("/v1/invoices", null, "customer", "cus_unknown123456");
        assertThat(noCustomer.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(noCustomer.body()).at("/error/code").asText()).isEqualTo("resource_missing");

        HttpResponse<String> missing = post("/v1/invoiceitems", null, "amount", "100", "currency", "usd");
        assertThat(missing.statusCode()).isEqualTo(400);
        JsonNode err = JSON.readTree(missing.body()).get("error");
        assertThat(err.get("code").asText()).isEqualTo("parameter_missing");
        assertThat(err.get("param").asText()).isEqualTo("customer");

        String invoiceOfA = JSON.readTree(
                        post("/v1/invoices", null, "customer", a).body())
                .get("id")
                .asText();
        HttpResponse<String> wrongOwner = post(
                "/v1/invoiceitems", null, "customer", b, "invoice", invoiceOfA, "amount", "100", "currency", "usd");
        assertThat(wrongOwner.statusCode()).isEqualTo(400);
        HttpResponse<String> badAmount =
                post("/v1/invoiceitems", null, "customer", a, "amount", "12.50", "currency", "usd");
        assertThat(badAmount.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badAmount.body()).at("/error/code").asText()).isEqualTo("parameter_invalid_integer");
        assertThat(stripe.invoiceItems()).isEmpty();
    }

    @Test
    void invoiceTakesItsCurrencyParamAndItemsMustMatchIt() throws Exception {
        String customer = createCustomer("acc-cur");

        HttpResponse<String> badCurrency = post("/v1/invoices", null, "customer", customer, "currency", "euro");
        assertThat(badCurrency.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badCurrency.body()).at("/error/param").asText())
                .isEqualTo("currency");
        assertThat(stripe.invoices()).isEmpty();

        JsonNode invoice = JSON.readTree(post("/v1/invoices", null, "customer", customer, "currency", "EUR")
                .body());
        String invoiceId = invoice.get("id").asText();
        assertThat(invoice.get("currency").asText()).isEqualTo("eur");

        // an item without a currency takes the invoice's; another currency is refused
        HttpResponse<String> noCurrency =
                post("/v1/invoiceitems", null, "customer", customer, "invoice", invoiceId, "amount", "700");
        assertThat(noCurrency.statusCode()).as(noCurrency.body()).isEqualTo(200);
        assertThat(JSON.readTree(noCurrency.body()).get("currency").asText()).isEqualTo("eur");
        HttpResponse<String> usd = post(
                "/v1/invoiceitems",
                null,
                "customer",
                customer,
                "invoice",
                invoiceId,
                "amount",
                "700",
                "currency",
                "usd");
        assertThat(usd.statusCode()).isEqualTo(400);
        JsonNode err = JSON.readTree(usd.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.get("param").asText()).isEqualTo("currency");

        assertThat(stripe.invoiceItems())
                .singleElement()
                .satisfies(m -> assertThat(m).containsEntry("currency", "eur"));
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .containsEntry("currency", "eur")
                        .containsEntry("amount_due", "700")
                        .containsEntry("status", "draft")
                        .containsEntry("auto_advance", "false")
                        .doesNotContainKey("number"));
    }

    @Test
    void finalizeTurnsADraftIntoANumberedOpenInvoice() throws Exception {
        String customer = createCustomer("acc-fin", "invoice_prefix", "CRMSYNC", "email", "ap@acme.example");
        JsonNode draft = JSON.readTree(post(
                        "/v1/invoices",
                        null,
                        "customer",
                        customer,
                        "collection_method",
                        "send_invoice",
                        "days_until_due",
                        "30",
                        "metadata[crm_deal_id]",
                        "D-9")
                .body());
        String invoiceId = draft.get("id").asText();
        assertThat(draft.get("number").isNull()).isTrue();
        assertThat(draft.get("hosted_invoice_url").isNull()).isTrue();
        assertThat(draft.at("/status_transitions/finalized_at").isNull()).isTrue();
        assertThat(post("/v1/invoiceitems", null, "customer", customer, "invoice", invoiceId, "amount", "100000")
                        .statusCode())
                .isEqualTo(200);
        assertThat(post("/v1/invoiceitems", null, "customer", customer, "invoice", invoiceId, "amount", "25050")
                        .statusCode())
                .isEqualTo(200);

        HttpResponse<String> r = post("/v1/invoices/" + invoiceId + "/finalize", null, "auto_advance", "false");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode inv = JSON.readTree(r.body());
        assertThat(inv.get("id").asText()).isEqualTo(invoiceId);
        assertThat(inv.get("object").asText()).isEqualTo("invoice");
        assertThat(inv.get("status").asText()).isEqualTo("open");
        assertThat(inv.get("number").asText()).isEqualTo("CRMSYNC-0001");
        assertThat(inv.get("auto_advance").asBoolean()).isFalse();
        assertThat(inv.at("/status_transitions/finalized_at").asLong())
                .isGreaterThanOrEqualTo(inv.get("created").asLong());
        assertThat(inv.at("/status_transitions/paid_at").isNull()).isTrue();
        assertThat(inv.get("hosted_invoice_url").asText()).startsWith("https://invoice.stripe.com/i/");
        assertThat(inv.get("invoice_pdf").asText()).startsWith("https://pay.stripe.com/invoice/");
        assertThat(inv.get("customer_email").asText()).isEqualTo("ap@acme.example");
        long linesSum = 0;
        for (JsonNode line : inv.get("lines").get("data")) {
            linesSum += line.get("amount").asLong();
        }
        assertThat(linesSum).isEqualTo(125050);
        for (String f : List.of("subtotal", "total", "amount_due", "amount_remaining")) {
            assertThat(inv.get(f).asLong()).as(f).isEqualTo(125050);
        }
        assertThat(inv.get("amount_paid").asLong()).isZero();
        assertThat(JSON.readTree(get("/v1/invoices/" + invoiceId).body())).isEqualTo(inv);

        // numbers follow the customer's sequence
        String second = JSON.readTree(
                        post("/v1/invoices", null, "customer", customer).body())
                .get("id")
                .asText();
        post("/v1/invoiceitems", null, "customer", customer, "invoice", second, "amount", "1000");
        JsonNode secondInv =
                JSON.readTree(post("/v1/invoices/" + second + "/finalize", null).body());
        assertThat(secondInv.get("number").asText()).isEqualTo("CRMSYNC-0002");
        assertThat(JSON.readTree(get("/v1/customers/" + customer).body())
                        .get("next_invoice_sequence")
                        .asLong())
                .isEqualTo(3);

        // a customer without a prefix gets Stripe's generated one
        String other = createCustomer("acc-fin-2");
        String third = JSON.readTree(
                        post("/v1/invoices", null, "customer", other).body())
                .get("id")
                .asText();
        post("/v1/invoiceitems", null, "customer", other, "invoice", third, "amount", "1000");
        assertThat(JSON.readTree(post("/v1/invoices/" + third + "/finalize", null)
                                .body())
                        .get("number")
                        .asText())
                .matches("[A-Z0-9]{8}-0001");

        assertThat(stripe.invoices().getFirst())
                .containsEntry("id", invoiceId)
                .containsEntry("status", "open")
                .containsEntry("number", "CRMSYNC-0001")
                .containsEntry("currency", "usd")
                .containsEntry("auto_advance", "false")
                .containsEntry("amount_due", "125050")
                .containsEntry(
                        "status_transitions[finalized_at]",
                        inv.at("/status_transitions/finalized_at").asText())
                .containsEntry(
                        "hosted_invoice_url", inv.get("hosted_invoice_url").asText())
                .containsEntry("metadata[crm_deal_id]", "D-9")
                .containsEntry("line_count", "2");

        HttpResponse<String> badPrefix = post("/v1/customers", null, "invoice_prefix", "crm-sync");
        assertThat(badPrefix.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badPrefix.body()).at("/error/param").asText()).isEqualTo("invoice_prefix");
    }

    @Test
    void finalizeRefusesNonDraftsUnknownIdsAndBadParams() throws Exception {
        String customer = createCustomer("acc-fin-3");
        String invoiceId = JSON.readTree(
                        post("/v1/invoices", null, "customer", customer).body())
                .get("id")
                .asText();
        post("/v1/invoiceitems", null, "customer", customer, "invoice", invoiceId, "amount", "5000");

        HttpResponse<String> badBool = post("/v1/invoices/" + invoiceId + "/finalize", null, "auto_advance", "maybe");
        assertThat(badBool.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badBool.body()).at("/error/param").asText()).isEqualTo("auto_advance");
        HttpResponse<String> unknownParam = post("/v1/invoices/" + invoiceId + "/finalize", null, "send", "true");
        assertThat(JSON.readTree(unknownParam.body()).at("/error/code").asText())
                .isEqualTo("parameter_unknown");
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(m -> assertThat(m).containsEntry("status", "draft"));

        assertThat(post("/v1/invoices/" + invoiceId + "/finalize", null, "auto_advance", "true")
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> again = post("/v1/invoices/" + invoiceId + "/finalize", null);
        assertThat(again.statusCode()).isEqualTo(400);
        JsonNode err = JSON.readTree(again.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.get("code").asText()).isEqualTo("invoice_already_finalized");
        assertThat(err.get("message").asText()).contains("already finalized");
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .containsEntry("status", "open")
                        .containsEntry("auto_advance", "true")
                        .containsKey("number"));

        HttpResponse<String> missing = post("/v1/invoices/in_doesNotExist/finalize", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        JsonNode notFound = JSON.readTree(missing.body()).get("error");
        assertThat(notFound.get("code").asText()).isEqualTo("resource_missing");
        assertThat(notFound.get("param").asText()).isEqualTo("id");
        assertThat(notFound.get("message").asText()).isEqualTo("No such invoice: 'in_doesNotExist'");

        assertThat(get("/v1/invoices/" + invoiceId + "/finalize").statusCode()).isEqualTo(404); // POST only
    }

    @Test
    void finalizeIsIdempotentLikeEveryPost() throws Exception {
        String customer = createCustomer("acc-fin-4");
        String invoiceId = JSON.readTree(
                        post("/v1/invoices", null, "customer", customer).body())
                .get("id")
                .asText();
        post("/v1/invoiceitems", null, "customer", customer, "invoice", invoiceId, "amount", "5000");
        String path = "/v1/invoices/" + invoiceId + "/finalize";

        HttpResponse<String> first = post(path, "fin-1", "auto_advance", "false");
        HttpResponse<String> replay = post(path, "fin-1", "auto_advance", "false");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        HttpResponse<String> otherParams = post(path, "fin-1", "auto_advance", "true");
        assertThat(otherParams.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(otherParams.body()).at("/error/type").asText()).isEqualTo("idempotency_error");

        // a new key is a new request: the invoice is no longer a draft; that error is saved and replayed too
        HttpResponse<String> newKey = post(path, "fin-2", "auto_advance", "false");
        assertThat(newKey.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(newKey.body()).at("/error/code").asText()).isEqualTo("invoice_already_finalized");
        HttpResponse<String> newKeyAgain = post(path, "fin-2", "auto_advance", "false");
        assertThat(newKeyAgain.statusCode()).isEqualTo(400);
        assertThat(newKeyAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        assertThat(stripe.calls("POST", "/v1/invoices/[^/]+/finalize"))
                .extracting(RecordedCall::status, RecordedCall::replayed)
                .containsExactly(
                        tuple(200, false), tuple(200, true), tuple(400, false), tuple(400, false), tuple(400, true));
        String number = JSON.readTree(first.body()).get("number").asText();
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(m -> assertThat(m).containsEntry("number", number));
    }

    @Test
    void finalizingAnInvoiceWithNothingDueMarksItPaid() throws Exception {
        String customer = createCustomer("acc-fin-5");
        String invoiceId = JSON.readTree(
                        post("/v1/invoices", null, "customer", customer).body())
                .get("id")
                .asText();

        JsonNode inv = JSON.readTree(
                post("/v1/invoices/" + invoiceId + "/finalize", null).body());

        assertThat(inv.get("status").asText()).isEqualTo("paid");
        assertThat(inv.get("amount_due").asLong()).isZero();
        assertThat(inv.get("number").isNull()).isFalse();
        assertThat(inv.at("/status_transitions/finalized_at").isNull()).isFalse();
        assertThat(inv.at("/status_transitions/paid_at").asLong())
                .isEqualTo(inv.at("/status_transitions/finalized_at").asLong());
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(m -> assertThat(m).containsEntry("status", "paid"));
    }

    @Test
    void itemsCanOnlyBeAddedToDraftInvoices() throws Exception {
        String customer = createCustomer("acc-fin-6");
        String invoiceId = JSON.readTree(
                        post("/v1/invoices", null, "customer", customer).body())
                .get("id")
                .asText();
        post("/v1/invoiceitems", null, "customer", customer, "invoice", invoiceId, "amount", "5000", "currency", "usd");
        assertThat(post("/v1/invoices/" + invoiceId + "/finalize", null).statusCode())
                .isEqualTo(200);

        HttpResponse<String> late = post(
                "/v1/invoiceitems",
                "late-1",
                "customer",
                customer,
                "invoice",
                invoiceId,
                "amount",
                "900",
                "currency",
                "usd");

        assertThat(late.statusCode()).isEqualTo(400);
        JsonNode err = JSON.readTree(late.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.get("code").asText()).isEqualTo("invoice_not_editable");
        assertThat(err.get("param").asText()).isEqualTo("invoice");
        assertThat(stripe.invoiceItems()).hasSize(1);
        assertThat(stripe.invoices())
                .singleElement()
                .satisfies(
                        m -> assertThat(m).containsEntry("amount_due", "5000").containsEntry("line_count", "1"));
        JsonNode after = JSON.readTree(get("/v1/invoices/" + invoiceId).body());
        assertThat(after.get("lines").get("data")).hasSize(1);
        assertThat(after.get("total").asLong()).isEqualTo(5000);
    }

    @Test
    void searchesInvoicesByMetadataCustomerAndStatus() throws Exception {
        String a = createCustomer("acc-s1");
        String b = createCustomer("acc-s2");
        String a1 = JSON.readTree(post("/v1/invoices", null, "customer", a, "metadata[crm_deal_id]", "D-1")
                        .body())
                .get("id")
                .asText();
        String a2 = JSON.readTree(post("/v1/invoices", null, "customer", a, "metadata[crm_deal_id]", "D-2")
                        .body())
                .get("id")
                .asText();
        String b1 = JSON.readTree(post("/v1/invoices", null, "customer", b, "metadata[crm_deal_id]", "D-1")
                        .body())
                .get("id")
                .asText();

        HttpResponse<String> r = get("/v1/invoices/search?query=" + enc("metadata['crm_deal_id']:'D-1'"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(r.body());
        assertThat(result.get("object").asText()).isEqualTo("search_result");
        assertThat(result.get("url").asText()).isEqualTo("/v1/invoices/search");
        assertThat(result.get("has_more").asBoolean()).isFalse();
        assertThat(ids(result)).containsExactlyInAnyOrder(a1, b1);
        assertThat(result.get("data").get(0).get("object").asText()).isEqualTo("invoice");

        JsonNode both = JSON.readTree(
                get("/v1/invoices/search?query=" + enc("metadata['crm_deal_id']:'D-1' AND customer:'" + a + "'"))
                        .body());
        assertThat(ids(both)).containsExactly(a1);
        JsonNode byCustomer = JSON.readTree(
                get("/v1/invoices/search?query=" + enc("customer:'" + a + "'")).body());
        assertThat(ids(byCustomer)).containsExactlyInAnyOrder(a1, a2);

        post("/v1/invoiceitems", null, "customer", a, "invoice", a2, "amount", "100");
        post("/v1/invoices/" + a2 + "/finalize", null);
        JsonNode open = JSON.readTree(get("/v1/invoices/search?query=" + enc("status:'open' AND customer:'" + a + "'"))
                .body());
        assertThat(ids(open)).containsExactly(a2);
        assertThat(open.get("data").get(0).get("status").asText()).isEqualTo("open");

        JsonNode page = JSON.readTree(get("/v1/invoices/search?limit=1&query=" + enc("metadata['crm_deal_id']:'D-1'"))
                .body());
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode rest = JSON.readTree(get("/v1/invoices/search?limit=1&page="
                        + page.get("next_page").asText() + "&query=" + enc("metadata['crm_deal_id']:'D-1'"))
                .body());
        assertThat(rest.get("has_more").asBoolean()).isFalse();
        assertThat(List.of(ids(page).getFirst(), ids(rest).getFirst())).containsExactlyInAnyOrder(a1, b1);

        assertThat(JSON.readTree(get("/v1/invoices/search?query=" + enc("metadata['crm_deal_id']:'nope'"))
                                .body())
                        .get("data"))
                .isEmpty();
        HttpResponse<String> unsupported = get("/v1/invoices/search?query=" + enc("email:'x@y.example'"));
        assertThat(unsupported.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unsupported.body()).at("/error/param").asText())
                .isEqualTo("query");
        HttpResponse<String> noQuery = get("/v1/invoices/search");
        assertThat(noQuery.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noQuery.body()).at("/error/code").asText()).isEqualTo("parameter_missing");
    }

    @Test
    void invoiceSearchLagsBehindWritesLikeCustomerSearch() throws Exception {
        stripe.setSearchLag(Duration.ofMillis(600));
        String customer = createCustomer("acc-s3");
        String id = JSON.readTree(post("/v1/invoices", null, "customer", customer, "metadata[crm_deal_id]", "D-lag")
                        .body())
                .get("id")
                .asText();
        String query = "/v1/invoices/search?query=" + enc("metadata['crm_deal_id']:'D-lag'");

        assertThat(JSON.readTree(get(query).body()).get("data")).isEmpty();
        assertThat(get("/v1/invoices/" + id).statusCode()).isEqualTo(200);
        assertThat(stripe.invoices()).hasSize(1);

        Thread.sleep(900);
        assertThat(ids(JSON.readTree(get(query).body()))).containsExactly(id);

        post("/v1/invoiceitems", null, "customer", customer, "invoice", id, "amount", "100");
        assertThat(post("/v1/invoices/" + id + "/finalize", null).statusCode()).isEqualTo(200);
        String openQuery = "/v1/invoices/search?query=" + enc("status:'open' AND metadata['crm_deal_id']:'D-lag'");
        assertThat(JSON.readTree(get(openQuery).body()).get("data")).isEmpty(); // the index still has the draft
        Thread.sleep(900);
        assertThat(ids(JSON.readTree(get(openQuery).body()))).containsExactly(id);
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void idempotentReplayCreatesOneCustomerAndIsMarkedReplayed() throws Exception {
        HttpResponse<String> first = post("/v1/customers", "key-1", "name", "A", "metadata[crm_id]", "acc-9");
        // same parameters in another order are the same parameters
        HttpResponse<String> second = post("/v1/customers", "key-1", "metadata[crm_id]", "acc-9", "name", "A");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(second.headers().firstValue("Request-Id"))
                .isNotEqualTo(first.headers().firstValue("Request-Id"));
        assertThat(stripe.customers()).hasSize(1);
        assertThat(stripe.calls("POST", "/v1/customers"))
                .extracting(RecordedCall::replayed, RecordedCall::idempotencyKey)
                .containsExactly(tuple(false, "key-1"), tuple(true, "key-1"));

        stripe.forgetIdempotencyKeys();
        post("/v1/customers", "key-1", "name", "A", "metadata[crm_id]", "acc-9");
        assertThat(stripe.customers()).hasSize(2);
    }

    @Test
    void errorsFromTheEndpointAreReplayedToo() throws Exception {
        HttpResponse<String> first = post("/v1/invoices", "key-404", "customer", "cus_unknown123456");
        String customer = createCustomer("acc-late");
        HttpResponse<String> again = post("/v1/invoices", "key-404", "customer", "cus_unknown123456");
        assertThat(first.statusCode()).isEqualTo(404);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        // a validation failure is not saved: the same key works once the request is valid
        assertThat(post("/v1/invoiceitems", "key-val", "amount", "1", "currency", "usd")
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> valid =
                post("/v1/invoiceitems", "key-val", "customer", customer, "amount", "1", "currency", "usd");
        assertThat(valid.statusCode()).isEqualTo(200);
        assertThat(valid.headers().firstValue("Idempotent-Replayed")).isEmpty();
    }

    @Test
    void sameKeyWithDifferentParametersIsAnIdempotencyError() throws Exception {
        post("/v1/customers", "key-2", "name", "A");
        HttpResponse<String> r = post("/v1/customers", "key-2", "name", "B");

        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode err = JSON.readTree(r.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("idempotency_error");
        assertThat(err.get("message").asText())
                .isEqualTo("Keys for idempotent requests can only be used with the same parameters they were first used"
                        + " with. Try using a key other than 'key-2' if you meant to execute a different request.");
        assertThat(stripe.customers()).extracting(m -> m.get("name")).containsExactly("A");

        HttpResponse<String> otherEndpoint = post("/v1/invoices", "key-2", "name", "A");
        assertThat(otherEndpoint.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(otherEndpoint.body()).at("/error/type").asText())
                .isEqualTo("idempotency_error");
    }

    @Test
    void concurrentRequestsWithOneKeyGetKeyInUse() throws Exception {
        stripe.setLatency(Duration.ofMillis(300));
        List<HttpResponse<String>> responses =
                concurrently(4, () -> post("/v1/customers", "key-3", "name", "A", "metadata[crm_id]", "acc-10"));

        assertThat(responses)
                .extracting(HttpResponse::statusCode)
                .containsOnly(200, 409)
                .contains(409);
        // exactly one request executed; any 200 beyond it can only be a replay
        assertThat(responses)
                .filteredOn(r -> r.statusCode() == 200
                        && r.headers().firstValue("Idempotent-Replayed").isEmpty())
                .hasSize(1);
        HttpResponse<String> conflict = responses.stream()
                .filter(r -> r.statusCode() == 409)
                .findFirst()
                .orElseThrow();
        JsonNode err = JSON.readTree(conflict.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("idempotency_error");
        assertThat(err.get("code").asText()).isEqualTo("idempotency_key_in_use");
        assertThat(stripe.customers()).hasSize(1);

        // after the first finished, a retry is a replay
        HttpResponse<String> retry = post("/v1/customers", "key-3", "name", "A", "metadata[crm_id]", "acc-10");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void concurrentCreatesWithoutKeysAreAllKept() throws Exception {
        List<HttpResponse<String>> responses =
                concurrently(16, () -> post("/v1/customers", null, "metadata[crm_id]", "acc-same"));
        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(stripe.customers()).hasSize(16).extracting(m -> m.get("id")).doesNotHaveDuplicates();
        assertThat(stripe.calls()).hasSize(16);
    }

    // ------------------------------------------------------------------ auth

    @Test
    void unknownKeyGets401WithoutEchoingTheKey() throws Exception {
        String wrong = "sk_test_51WrongKeyQqQqQqQqQqQqQqQq4242";
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/customers"))
                .header("Authorization", "Bearer " + wrong)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=A")));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(wrong).doesNotContain("51WrongKey");
        JsonNode err = JSON.readTree(r.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.get("message").asText()).isEqualTo("Invalid API Key provided: sk_test_****4242");

        HttpResponse<String> none =
                send(HttpRequest.newBuilder(uri("/v1/customers/cus_x")).GET());
        assertThat(none.statusCode()).isEqualTo(401);

        stripe.revokeApiKeys(KEY);
        assertThat(post("/v1/customers", null, "name", "A").statusCode()).isEqualTo(401);
        assertThat(stripe.customers()).isEmpty();
    }

    // ------------------------------------------------------------------ faults

    @Test
    void failNextReturnsApiErrorsAndSavesNothingUnderTheKey() throws Exception {
        stripe.failNext("POST", "/v1/customers", 2, 503);

        HttpResponse<String> r1 = post("/v1/customers", "key-4", "name", "A");
        HttpResponse<String> r2 = post("/v1/customers", "key-4", "name", "A");
        HttpResponse<String> r3 = post("/v1/customers", "key-4", "name", "A");

        assertThat(r1.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(r1.body()).at("/error/type").asText()).isEqualTo("api_error");
        assertThat(r1.headers().firstValue("Request-Id")).isPresent();
        assertThat(r2.statusCode()).isEqualTo(503);
        assertThat(r3.statusCode()).isEqualTo(200);
        assertThat(r3.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(stripe.customers()).hasSize(1);
        assertThat(stripe.calls()).extracting(RecordedCall::status).containsExactly(503, 503, 200);
    }

    @Test
    void aFailureAfterTheEndpointStartedIsSavedAndReplayedForTheSameKey() throws Exception {
        stripe.failAfterStartNext("POST", "/v1/customers", 1, 500);

        HttpResponse<String> first = post("/v1/customers", "key-500", "metadata[crm_id]", "acc-500");
        HttpResponse<String> again = post("/v1/customers", "key-500", "metadata[crm_id]", "acc-500");
        HttpResponse<String> otherKey = post("/v1/customers", "key-500:g1", "metadata[crm_id]", "acc-500");

        assertThat(first.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(first.body()).at("/error/type").asText()).isEqualTo("api_error");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(again.statusCode()).isEqualTo(500);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(otherKey.statusCode()).isEqualTo(200);
        assertThat(stripe.customers())
                .singleElement()
                .satisfies(c -> assertThat(c).containsEntry("metadata[crm_id]", "acc-500"));
        assertThat(stripe.calls())
                .extracting(RecordedCall::status, RecordedCall::replayed)
                .containsExactly(tuple(500, false), tuple(500, true), tuple(200, false));
    }

    @Test
    void aFailureAfterTheWorkLeavesTheObjectAndIsReplayed() throws Exception {
        stripe.failAfterWorkNext("POST", "/v1/customers", 1, 502);

        assertThat(post("/v1/customers", "key-502", "metadata[crm_id]", "acc-502")
                        .statusCode())
                .isEqualTo(502);
        HttpResponse<String> again = post("/v1/customers", "key-502", "metadata[crm_id]", "acc-502");

        assertThat(again.statusCode()).isEqualTo(502);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void aDeletedCustomerIsAStubThatNoWriteListOrSearchFinds() throws Exception {
        String id = createCustomer("acc-del");
        HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri("/v1/customers/" + id))
                .header("Authorization", "Bearer " + KEY)
                .DELETE());

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(deleted.body()).get("deleted").asBoolean()).isTrue();
        HttpResponse<String> got = get("/v1/customers/" + id);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(got.body()).get("deleted").asBoolean()).isTrue();
        HttpResponse<String> update = post("/v1/customers/" + id, null, "name", "Again");
        assertThat(update.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(update.body()).at("/error/code").asText()).isEqualTo("resource_missing");
        assertThat(post("/v1/invoices", null, "customer", id).statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(get("/v1/customers/search?query=" + enc("metadata['crm_id']:'acc-del'"))
                                .body())
                        .get("data"))
                .isEmpty();
        assertThat(JSON.readTree(get("/v1/customers").body()).get("data")).isEmpty();
        assertThat(stripe.customers()).isEmpty();

        String other = createCustomer("acc-keep");
        stripe.deleteCustomer(other);
        assertThat(post("/v1/customers/" + other, null, "name", "x").statusCode())
                .isEqualTo(404);
    }

    @Test
    void theStripeVersionOfEveryCallIsRecordedAndAMalformedOneIsRefused() throws Exception {
        send(formRequest("/v1/customers", null, form("name", "A")).header("Stripe-Version", "2026-07-29.dahlia"));
        HttpResponse<String> bad =
                send(formRequest("/v1/customers", null, form("name", "B")).header("Stripe-Version", "latest"));
        post("/v1/customers", null, "name", "C");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).at("/error/message").asText())
                .isEqualTo("Invalid Stripe API version: latest");
        assertThat(stripe.calls())
                .extracting(c -> c.header("Stripe-Version"))
                .containsExactly("2026-07-29.dahlia", "latest", null);
        assertThat(stripe.customers()).extracting(c -> c.get("name")).containsExactly("A", "C");
    }

    @Test
    void faultsOnlyHitMatchingRequests() throws Exception {
        stripe.failNext("POST", "/v1/invoices", 1, 500);
        String customer = createCustomer("acc-11"); // not matched: customers still work
        assertThat(get("/v1/customers/" + customer).statusCode()).isEqualTo(200);
        assertThat(post("/v1/invoices", null, "customer", customer).statusCode())
                .isEqualTo(500);
        assertThat(post("/v1/invoices", null, "customer", customer).statusCode())
                .isEqualTo(200);
    }

    @Test
    void rateLimitNextSends429WithRetryAfter() throws Exception {
        stripe.rateLimitNext("*", "/v1/customers.*", 1, 2);

        HttpResponse<String> r = post("/v1/customers", null, "name", "A");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
        JsonNode err = JSON.readTree(r.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(err.get("code").asText()).isEqualTo("rate_limit");
        assertThat(post("/v1/customers", null, "name", "A").statusCode()).isEqualTo(200);
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void resetConnectionNextDropsTheConnectionAndCreatesNothing() throws Exception {
        stripe.resetConnectionNext("POST", "/v1/customers", 1);

        assertThatThrownBy(() -> post("/v1/customers", "key-5", "name", "A")).isInstanceOf(IOException.class);
        assertThat(stripe.customers()).isEmpty();
        HttpResponse<String> retry = post("/v1/customers", "key-5", "name", "A");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(stripe.calls()).extracting(RecordedCall::status).containsExactly(0, 200);
    }

    @Test
    void delayNextLetsTheClientTimeOutAfterStripeDidTheWork() throws Exception {
        stripe.delayNext("POST", "/v1/customers", 1, Duration.ofMillis(1500));

        HttpRequest slow = formRequest("/v1/customers", "key-6", form("name", "A"))
                .timeout(Duration.ofMillis(300))
                .build();
        assertThatThrownBy(() -> HTTP.send(slow, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(stripe.customers()).hasSize(1);

        HttpResponse<String> retry = post("/v1/customers", "key-6", "name", "A");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(stripe.customers()).hasSize(1);
    }

    @Test
    void rejectNextSendsACustomError() throws Exception {
        String customer = createCustomer("acc-12");
        stripe.rejectNext("POST", "/v1/invoiceitems", 1, 402, "card_error", "card_declined", "Your card was declined.");

        HttpResponse<String> r =
                post("/v1/invoiceitems", "key-7", "customer", customer, "amount", "100", "currency", "usd");
        assertThat(r.statusCode()).isEqualTo(402);
        JsonNode err = JSON.readTree(r.body()).get("error");
        assertThat(err.get("type").asText()).isEqualTo("card_error");
        assertThat(err.get("code").asText()).isEqualTo("card_declined");
        assertThat(err.get("message").asText()).isEqualTo("Your card was declined.");
        assertThat(stripe.invoiceItems()).isEmpty();
        assertThat(post("/v1/invoiceitems", "key-7", "customer", customer, "amount", "100", "currency", "usd")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void latencySlowsEveryResponse() throws Exception {
        stripe.setLatency(Duration.ofMillis(200));
        long start = System.nanoTime();
        assertThat(get("/v1/customers/cus_none").statusCode()).isEqualTo(404);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void resetForgetsEverything() throws Exception {
        createCustomer("acc-13");
        post("/v1/customers", "key-8", "name", "A");
        stripe.failNext("*", ".*", 5, 500).setLatency(Duration.ofSeconds(5));

        stripe.reset();

        assertThat(stripe.customers()).isEmpty();
        assertThat(stripe.calls()).isEmpty();
        assertThat(post("/v1/customers", null, "name", "A").statusCode()).isEqualTo(401); // keys forgotten too
        stripe.acceptApiKeys(KEY);
        HttpResponse<String> r = post("/v1/customers", "key-8", "name", "B");
        assertThat(r.statusCode()).isEqualTo(200); // no fault, no latency, no saved key
        assertThat(stripe.customers()).hasSize(1);
    }

    // ------------------------------------------------------------------ helpers

    private static String createCustomer(String crmId, String... more) throws Exception {
        String[] kv = new String[more.length + 2];
        kv[0] = "metadata[crm_id]";
        kv[1] = crmId;
        System.arraycopy(more, 0, kv, 2, more.length);
        HttpResponse<String> r = post("/v1/customers", null, kv);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static List<String> ids(JsonNode listOrSearchResult) {
        List<String> ids = new ArrayList<>();
        listOrSearchResult.get("data").forEach(o -> ids.add(o.get("id").asText()));
        return ids;
    }

    private static HttpResponse<String> post(String path, String idempotencyKey, String... kv) throws Exception {
        return send(formRequest(path, idempotencyKey, form(kv)));
    }

    private static HttpRequest.Builder formRequest(String path, String idempotencyKey, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return b;
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(HttpRequest.newBuilder(uri(pathAndQuery))
                .header("Authorization", "Bearer " + KEY)
                .GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String pathAndQuery) {
        return URI.create(stripe.baseUrl() + pathAndQuery);
    }

    private static String form(String... kv) {
        StringJoiner j = new StringJoiner("&");
        for (int i = 0; i < kv.length; i += 2) {
            j.add(enc(kv[i]) + "=" + enc(kv[i + 1]));
        }
        return j.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
