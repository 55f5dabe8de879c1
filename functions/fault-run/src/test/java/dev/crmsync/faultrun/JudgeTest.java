package dev.crmsync.faultrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The judge can fail: violations planted by hand in a Stripe sandbox — an older state written
 * after a newer one, a second invoice for a deal, a customer no account owns — are each found,
 * and the same vendor without them passes.
 */
class JudgeTest {
    private static final String KEY = "sk_test_51JudgeTestKey000001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StripeSandbox stripe;

    private final CrmRecord account = new CrmRecord("account", 1, "001xx00000001Ab");
    private final CrmRecord deal = new CrmRecord("deal", 2, "006xx00000002Ab");
    private final List<SentEvent> sent = List.of(
            event(account, 1, SentEvent.Change.UPSERT),
            event(account, 2, SentEvent.Change.UPSERT),
            event(deal, 1, SentEvent.Change.CLOSE));

    @BeforeAll
    static void start() {
        stripe = StripeSandbox.start();
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @BeforeEach
    void reset() {
        stripe.reset();
        stripe.acceptApiKeys(KEY);
    }

    @Test
    void theVendorAsThePipelineLeavesItPasses() throws Exception {
        String customer = customerWithVersions(1, 2);
        invoice(customer, 1);

        Verdict verdict = judge();

        assertThat(verdict.violations).isEmpty();
        assertThat(verdict.brokenInvariants()).isZero();
        assertThat(verdict.applied).isEqualTo(3);
    }

    @Test
    void anOlderStateWrittenLastIsAStaleOverwriteAndLosesTheNewerChange() throws Exception {
        String customer = customerWithVersions(2, 1);
        invoice(customer, 1);

        Verdict verdict = judge();

        assertThat(verdict.staleOverwrites).isEqualTo(1);
        assertThat(verdict.lost).isEqualTo(1);
        assertThat(verdict.violations).anyMatch(v -> v.contains("version 1 written after version 2"));
    }

    @Test
    void aSecondInvoiceForADealIsADuplicate() throws Exception {
        String customer = customerWithVersions(1, 2);
        invoice(customer, 1);
        invoice(customer, 1); // made by hand in the Dashboard

        Verdict verdict = judge();

        assertThat(verdict.duplicatesApplied).isEqualTo(1);
        assertThat(verdict.brokenInvariants()).isEqualTo(1);
    }

    @Test
    void aCustomerNoAccountOwnsIsAnObjectTooMany() throws Exception {
        String customer = customerWithVersions(1, 2);
        invoice(customer, 1);
        post("v1/customers", Map.of("metadata[crm_id]", account.recordId()));

        assertThat(judge().duplicatesApplied).isEqualTo(1);
    }

    @Test
    void anEventInTheDlqWithoutItsStatusOrLeftThereAfterTheRedriveIsAViolation() throws Exception {
        String customer = customerWithVersions(1, 2);
        invoice(customer, 1);
        Verdict verdict = Judge.judge(
                "billing",
                Set.of(),
                sent,
                new StripeView(stripe, Map.of(deal.recordId(), deal.index())),
                DeadLetters.of(Map.of("evt-1-v1", false)),
                DeadLetters.of(Map.of("evt-1-v1", true)),
                Set.of("evt-1-v1"),
                Set.of());

        assertThat(verdict.dlqWithoutStatus).isEqualTo(1);
        assertThat(verdict.notAppliedAfterRedrive).isEqualTo(1);
        assertThat(verdict.shortOutageInDlq).isEqualTo(1);
    }

    private Verdict judge() {
        return Judge.judge(
                "billing",
                Set.of(),
                sent,
                new StripeView(stripe, Map.of(deal.recordId(), deal.index())),
                DeadLetters.none(),
                DeadLetters.none(),
                Set.of(),
                Set.of());
    }

    /** A customer created for the account and updated with its states, in this order. */
    private String customerWithVersions(long... versions) throws Exception {
        String id = post("v1/customers", Map.of("metadata[crm_id]", account.recordId()))
                .path("id")
                .asText();
        for (long version : versions) {
            post("v1/customers/" + id, Map.of("name", account.label(version)));
        }
        return id;
    }

    private void invoice(String customer, int close) throws Exception {
        String invoice = post(
                        "v1/invoices",
                        Map.of("customer", customer, "auto_advance", "false", "metadata[crm_deal_id]", deal.recordId()))
                .path("id")
                .asText();
        post(
                "v1/invoiceitems",
                Map.of(
                        "customer",
                        customer,
                        "invoice",
                        invoice,
                        "amount",
                        "1000",
                        "currency",
                        "usd",
                        "description",
                        deal.label(close)));
        post("v1/invoices/" + invoice + "/finalize", Map.of());
    }

    private static JsonNode post(String path, Map<String, String> params) throws Exception {
        String form = new LinkedHashMap<>(params)
                .entrySet().stream()
                        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                        .collect(Collectors.joining("&"));
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(stripe.baseUrl() + "/" + path))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static SentEvent event(CrmRecord record, long version, SentEvent.Change change) {
        return new SentEvent(
                "evt-" + record.index() + "-v" + version,
                change == SentEvent.Change.CLOSE ? "deal.closed" : "account.upserted",
                record,
                version,
                change,
                "{}");
    }
}
