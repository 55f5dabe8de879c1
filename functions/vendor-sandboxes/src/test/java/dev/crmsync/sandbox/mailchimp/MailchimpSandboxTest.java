package dev.crmsync.sandbox.mailchimp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests the Mailchimp sandbox itself, over real HTTP with the JDK client. One server for the class. */
class MailchimpSandboxTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef-us21";
    private static final String LIST = "a1b2c3d4e5";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static MailchimpSandbox mailchimp;

    @BeforeAll
    static void startSandbox() {
        mailchimp = MailchimpSandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        mailchimp.close();
    }

    @BeforeEach
    void resetSandbox() {
        mailchimp.reset();
        mailchimp.acceptApiKeys(KEY).createList(LIST);
    }

    @Test
    void subscriberHashIsTheMd5OfTheLowerCasedEmail() {
        // the example of Mailchimp's documentation: md5("urist.mcvankab@freddiesjokes.com")
        assertThat(MailchimpSandbox.subscriberHash("Urist.McVankab@FreddiesJokes.com"))
                .isEqualTo("62eeb292278cc15f5817cb78f7790b08");
    }

    @Test
    void putAddsThenUpdatesOneMemberKeepingItsStatus() throws Exception {
        String path = member("Dana.Lee@acme.example");
        HttpResponse<String> added = send(
                "PUT",
                path,
                "{\"email_address\":\"Dana.Lee@acme.example\",\"status_if_new\":\"subscribed\","
                        + "\"merge_fields\":{\"FNAME\":\"Dana\",\"LNAME\":\"Lee\"}}",
                KEY);
        HttpResponse<String> updated = send(
                "PUT",
                path,
                "{\"email_address\":\"dana.lee@acme.example\",\"status_if_new\":\"pending\","
                        + "\"merge_fields\":{\"FNAME\":\"Dana M.\"}}",
                KEY);

        assertThat(added.statusCode()).isEqualTo(200);
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(updated.body()).get("id").asText())
                .isEqualTo(MailchimpSandbox.subscriberHash("dana.lee@acme.example"));
        assertThat(mailchimp.members()).singleElement().satisfies(m -> {
            assertThat(m.status()).isEqualTo("subscribed");
            assertThat(m.mergeFields()).containsEntry("FNAME", "Dana M.").containsEntry("LNAME", "Lee");
        });
        assertThat(mailchimp.calls("PUT", "/3.0/lists/[^/]+/members/[0-9a-f]{32}"))
                .hasSize(2);
    }

    @Test
    void deleteArchivesAndASecondDeleteIs404() throws Exception {
        String path = member("a@b.example");
        send("PUT", path, "{\"email_address\":\"a@b.example\",\"status_if_new\":\"subscribed\"}", KEY);

        assertThat(send("DELETE", path, null, KEY).statusCode()).isEqualTo(204);
        HttpResponse<String> again = send("DELETE", path, null, KEY);

        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(mailchimp.member(LIST, "a@b.example"))
                .get()
                .extracting(MailchimpSandbox.Member::status)
                .isEqualTo("archived");
    }

    @Test
    void anArchivedMemberStaysArchivedOnStatusIfNewAndComesBackOnlyWithAnExplicitStatus() throws Exception {
        String path = member("a@b.example");
        send("PUT", path, "{\"email_address\":\"a@b.example\",\"status_if_new\":\"subscribed\"}", KEY);
        send("DELETE", path, null, KEY);

        HttpResponse<String> ifNew = send(
                "PUT",
                path,
                "{\"email_address\":\"a@b.example\",\"status_if_new\":\"subscribed\","
                        + "\"merge_fields\":{\"FNAME\":\"Ann\"}}",
                KEY);
        assertThat(ifNew.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ifNew.body()).get("status").asText()).isEqualTo("archived");
        assertThat(mailchimp.member(LIST, "a@b.example")).get().satisfies(m -> {
            assertThat(m.status()).isEqualTo("archived");
            assertThat(m.mergeFields()).containsEntry("FNAME", "Ann");
        });

        HttpResponse<String> explicit =
                send("PUT", path, "{\"email_address\":\"a@b.example\",\"status\":\"pending\"}", KEY);
        assertThat(JSON.readTree(explicit.body()).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void patchWithANewAddressMovesASubscribedMemberKeepingItsStatusAndMergeFields() throws Exception {
        send(
                "PUT",
                member("old@b.example"),
                "{\"email_address\":\"old@b.example\",\"status_if_new\":\"subscribed\","
                        + "\"merge_fields\":{\"FNAME\":\"Ed\",\"LNAME\":\"Old\"}}",
                KEY);

        HttpResponse<String> moved = send(
                "PATCH",
                member("old@b.example"),
                "{\"email_address\":\"New@b.example\",\"merge_fields\":{\"LNAME\":\"New\"}}",
                KEY);

        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(moved.body()).get("id").asText())
                .isEqualTo(MailchimpSandbox.subscriberHash("new@b.example"));
        assertThat(mailchimp.members()).singleElement().satisfies(m -> {
            assertThat(m.emailAddress()).isEqualTo("New@b.example");
            assertThat(m.status()).isEqualTo("subscribed");
            assertThat(m.mergeFields()).containsEntry("FNAME", "Ed").containsEntry("LNAME", "New");
        });
        assertThat(send("GET", member("old@b.example"), null, KEY).statusCode()).isEqualTo(404);
        assertThat(send("PATCH", member("nobody@b.example"), "{\"email_address\":\"x@b.example\"}", KEY)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void patchMovesOnlySubscribedMembersAndNeverOntoAnAddressAlreadyOnTheList() throws Exception {
        mailchimp
                .memberByHand(LIST, "gone@b.example", "unsubscribed", java.util.Map.of("FNAME", "Gone"))
                .memberByHand(LIST, "sub@b.example", "subscribed", java.util.Map.of())
                .memberByHand(LIST, "taken@b.example", "archived", java.util.Map.of());

        HttpResponse<String> unsubscribed =
                send("PATCH", member("gone@b.example"), "{\"email_address\":\"fresh@b.example\"}", KEY);
        HttpResponse<String> taken =
                send("PATCH", member("sub@b.example"), "{\"email_address\":\"taken@b.example\"}", KEY);
        HttpResponse<String> transactional =
                send("PATCH", member("sub@b.example"), "{\"status\":\"transactional\"}", KEY);

        assertThat(unsubscribed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unsubscribed.body()).get("title").asText()).isEqualTo("Invalid Resource");
        assertThat(JSON.readTree(unsubscribed.body()).at("/errors/0/message").asText())
                .contains("You can only update email addresses for members with a status of \"subscribed.\"");
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(taken.body()).at("/errors/0/message").asText())
                .contains("is already in this list with a status of \"archived\"");
        assertThat(transactional.statusCode()).isEqualTo(400);
        assertThat(mailchimp.members())
                .extracting(MailchimpSandbox.Member::emailAddress, MailchimpSandbox.Member::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("gone@b.example", "unsubscribed"),
                        org.assertj.core.groups.Tuple.tuple("sub@b.example", "subscribed"),
                        org.assertj.core.groups.Tuple.tuple("taken@b.example", "archived"));
    }

    @Test
    void theListAndItsMergeFieldsArePagedAndAnUnknownListIs404() throws Exception {
        List<MailchimpSandbox.MergeField> many = new ArrayList<>(MailchimpSandbox.DEFAULT_MERGE_FIELDS);
        for (int i = 5; i < 17; i++) {
            many.add(MailchimpSandbox.MergeField.text("MMERGE" + i));
        }
        mailchimp.mergeFields(LIST, many);

        JsonNode firstPage = JSON.readTree(
                send("GET", "/3.0/lists/" + LIST + "/merge-fields", null, KEY).body());
        JsonNode rest =
                JSON.readTree(send("GET", "/3.0/lists/" + LIST + "/merge-fields?count=1000&offset=10", null, KEY)
                        .body());

        assertThat(send("GET", "/3.0/lists/" + LIST, null, KEY).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/3.0/lists/nope", null, KEY).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/3.0/lists/nope/merge-fields", null, KEY).statusCode())
                .isEqualTo(404);
        assertThat(firstPage.get("total_items").asInt()).isEqualTo(16);
        assertThat(firstPage.get("merge_fields")).hasSize(10);
        assertThat(firstPage.at("/merge_fields/3/tag").asText()).isEqualTo("PHONE");
        assertThat(firstPage.at("/merge_fields/3/options/phone_format").asText())
                .isEqualTo("none");
        assertThat(rest.get("merge_fields")).hasSize(6);
    }

    @Test
    void memberWritesAreCheckedAgainstTheAudiencesMergeFields() throws Exception {
        mailchimp.mergeFields(
                LIST,
                List.of(
                        MailchimpSandbox.MergeField.text("FIRST").asRequired(),
                        MailchimpSandbox.MergeField.phone("PHONE", "US")));

        HttpResponse<String> unknownTag = send(
                "PUT",
                member("a@b.example"),
                "{\"email_address\":\"a@b.example\",\"status_if_new\":\"subscribed\","
                        + "\"merge_fields\":{\"FIRST\":\"Ann\",\"FNAME\":\"Ann\"}}",
                KEY);
        HttpResponse<String> missingRequired = send(
                "PUT",
                member("a@b.example"),
                "{\"email_address\":\"a@b.example\",\"status_if_new\":\"subscribed\","
                        + "\"merge_fields\":{\"PHONE\":\"+44 20 7946 0000\"}}",
                KEY);
        HttpResponse<String> skipped = send(
                "PUT",
                member("a@b.example") + "?skip_merge_validation=true",
                "{\"email_address\":\"a@b.example\",\"status_if_new\":\"subscribed\","
                        + "\"merge_fields\":{\"PHONE\":\"415-555-0142\"}}",
                KEY);

        assertThat(unknownTag.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknownTag.body()).at("/errors/0/field").asText())
                .isEqualTo("FNAME");
        assertThat(missingRequired.statusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree(missingRequired.body());
        assertThat(problem.get("title").asText()).isEqualTo("Invalid Resource");
        assertThat(problem.get("detail").asText()).isEqualTo("Your merge fields were invalid.");
        assertThat(problem.get("errors"))
                .extracting(
                        e -> e.get("field").asText() + ": " + e.get("message").asText())
                .containsExactly("PHONE: Please enter a valid phone number", "FIRST: Please enter a value");
        assertThat(skipped.statusCode()).isEqualTo(200);
        assertThat(mailchimp.members())
                .singleElement()
                .satisfies(
                        m -> assertThat(m.mergeFields()).containsExactly(java.util.Map.entry("PHONE", "415-555-0142")));
    }

    @Test
    void errorsAreProblemJsonWithTheDocumentedFields() throws Exception {
        mailchimp.inComplianceState("gone@b.example");
        HttpResponse<String> compliance = send(
                "PUT",
                member("gone@b.example"),
                "{\"email_address\":\"gone@b.example\",\"status_if_new\":\"subscribed\"}",
                KEY);
        HttpResponse<String> mismatch = send(
                "PUT",
                member("x@b.example"),
                "{\"email_address\":\"y@b.example\",\"status_if_new\":\"subscribed\"}",
                KEY);
        HttpResponse<String> wrongKey = send("GET", member("x@b.example"), null, "other-key-us21");
        HttpResponse<String> unknownList =
                send("GET", "/3.0/lists/nope/members/" + MailchimpSandbox.subscriberHash("x@b.example"), null, KEY);

        assertThat(compliance.statusCode()).isEqualTo(400);
        assertThat(compliance.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(compliance.body());
        assertThat(problem.get("title").asText()).isEqualTo("Member In Compliance State");
        assertThat(problem.has("type") && problem.has("detail") && problem.has("instance"))
                .isTrue();
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(JSON.readTree(mismatch.body()).at("/errors/0/field").asText())
                .isEqualTo("email_address");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrongKey.body()).get("title").asText()).isEqualTo("API Key Invalid");
        assertThat(unknownList.statusCode()).isEqualTo(404);
        assertThat(mailchimp.members()).isEmpty();
    }

    @Test
    void aForgottenEmailCannotBeAddedAgain() throws Exception {
        mailchimp.forgotten("erased@b.example");
        HttpResponse<String> r = send(
                "PUT",
                member("erased@b.example"),
                "{\"email_address\":\"erased@b.example\",\"status_if_new\":\"subscribed\"}",
                KEY);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("title").asText()).isEqualTo("Forgotten Email Not Subscribed");
    }

    @Test
    void theEleventhSimultaneousRequestIsRateLimitedWithoutRetryAfter() throws Exception {
        mailchimp.setLatency(Duration.ofMillis(400));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String email = "p" + i + "@b.example";
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return send(
                            "PUT",
                            member(email),
                            "{\"email_address\":\"" + email + "\",\"status_if_new\":\"subscribed\"}",
                            KEY);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<HttpResponse<String>> answers =
                calls.stream().map(CompletableFuture::join).toList();

        assertThat(answers.stream().filter(r -> r.statusCode() == 429))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(
                        r -> assertThat(r.headers().firstValue("Retry-After")).isEmpty());
        assertThat(answers.stream().filter(r -> r.statusCode() == 200).count()).isLessThanOrEqualTo(10);
        assertThat(mailchimp.peakInFlight()).isEqualTo(12);
    }

    private static String member(String email) {
        return "/3.0/lists/" + LIST + "/members/" + MailchimpSandbox.subscriberHash(email);
    }

    private static HttpResponse<String> send(String method, String path, String json, String key) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("anystring:" + key).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mailchimp.baseUrl() + path))
                .timeout(Duration.ofSeconds(5))
                .header("Authorization", "Basic " + auth)
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
