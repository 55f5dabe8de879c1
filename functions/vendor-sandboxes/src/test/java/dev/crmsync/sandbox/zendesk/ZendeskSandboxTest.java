package dev.crmsync.sandbox.zendesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests the Zendesk sandbox itself, over real HTTP with the JDK client. One server for the class. */
class ZendeskSandboxTest {
    private static final String TOKEN = "zd-token-6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv";
    private static final String AGENT = "sync@acme.example";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static ZendeskSandbox zendesk;

    @BeforeAll
    static void startSandbox() {
        zendesk = ZendeskSandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        zendesk.close();
    }

    @BeforeEach
    void resetSandbox() {
        zendesk.reset();
        zendesk.acceptApiKeys(TOKEN);
    }

    @Test
    void organizationCreateOrUpdateCreatesOnceThenUpdatesByExternalIdCaseInsensitively() throws Exception {
        HttpResponse<String> created = send(
                "POST",
                "/api/v2/organizations/create_or_update",
                "{\"organization\":{\"external_id\":\"ACC-1\",\"name\":\"Acme\",\"domain_names\":[\"acme.example\"]}}");
        HttpResponse<String> updated = send(
                "POST",
                "/api/v2/organizations/create_or_update",
                "{\"organization\":{\"external_id\":\"acc-1\",\"name\":\"Acme Corp\"}}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(updated.statusCode()).isEqualTo(200);
        long id = JSON.readTree(created.body()).at("/organization/id").asLong();
        assertThat(JSON.readTree(updated.body()).at("/organization/id").asLong())
                .isEqualTo(id);
        assertThat(zendesk.organizations()).singleElement().satisfies(o -> {
            assertThat(o.get("name").asText()).isEqualTo("Acme Corp");
            assertThat(o.at("/domain_names/0").asText()).isEqualTo("acme.example");
        });
        assertThat(created.headers().firstValue("X-Rate-Limit")).hasValue("700");
        assertThat(updated.headers().firstValue("X-Rate-Limit-Remaining")).hasValue("698");
    }

    @Test
    void aTakenOrganizationNameIsRecordInvalidWithItsDetails() throws Exception {
        zendesk.addOrganizationByHand("Acme");
        HttpResponse<String> r = send(
                "POST",
                "/api/v2/organizations/create_or_update",
                "{\"organization\":{\"external_id\":\"acc-2\",\"name\":\"acme\"}}");

        assertThat(r.statusCode()).isEqualTo(422);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("RecordInvalid");
        assertThat(body.at("/details/name/0/description").asText()).contains("has already been taken");
        assertThat(zendesk.organizations()).hasSize(1);
    }

    @Test
    void userCreateOrUpdateMatchesOnExternalIdThenEmailAndChecksItsOrganization() throws Exception {
        HttpResponse<String> badOrg = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"c-1\",\"email\":\"dana@acme.example\",\"name\":\"Dana\","
                        + "\"organization_id\":42}}");
        HttpResponse<String> created = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"c-1\",\"email\":\"dana@acme.example\",\"name\":\"Dana\"}}");
        HttpResponse<String> byEmail = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"email\":\"DANA@acme.example\",\"phone\":\"+14155550142\"}}");
        HttpResponse<String> badPhone = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"c-1\",\"phone\":\"+1 415 555 0142\"}}");
        HttpResponse<String> badEmail = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"c-2\",\"email\":\"dana@localhost\",\"name\":\"Dana\"}}");

        assertThat(badOrg.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(badOrg.body())
                        .at("/details/organization_id/0/description")
                        .asText())
                .isEqualTo("Organization: is invalid");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(byEmail.statusCode()).isEqualTo(200);
        assertThat(badEmail.statusCode()).isEqualTo(422);
        // not E.164: refused as with "Validate user phone numbers" on
        assertThat(badPhone.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(badPhone.body())
                        .at("/details/phone/0/description")
                        .asText())
                .isEqualTo("Phone +1 415 555 0142 is not properly formatted");
        assertThat(zendesk.users()).singleElement().satisfies(u -> {
            assertThat(u.get("external_id").asText()).isEqualTo("c-1");
            assertThat(u.get("phone").asText()).isEqualTo("+14155550142");
        });
    }

    @Test
    void createOrUpdateMatchesAnAgentByEmailAndASearchByEmailShowsItsRole() throws Exception {
        long agent = zendesk.addStaffUserByHand("Sam Agent", "sam@acme.example", "agent");

        JsonNode found = JSON.readTree(send(
                        "GET",
                        "/api/v2/users/search?query="
                                + java.net.URLEncoder.encode("email:\"SAM@acme.example\"", StandardCharsets.UTF_8),
                        null)
                .body());
        assertThat(found.get("users")).singleElement().satisfies(u -> {
            assertThat(u.get("id").asLong()).isEqualTo(agent);
            assertThat(u.get("role").asText()).isEqualTo("agent");
        });
        assertThat(send("GET", "/api/v2/users/search?query=name:Sam", null).statusCode())
                .isEqualTo(400);

        // Zendesk's create_or_update matches the agent by e-mail and writes to it
        HttpResponse<String> written = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"c-5\",\"email\":\"sam@acme.example\",\"name\":\"Sam Customer\"}}");
        assertThat(written.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(written.body()).at("/user/role").asText()).isEqualTo("agent");
        assertThat(JSON.readTree(written.body()).at("/user/id").asLong()).isEqualTo(agent);
        // and an admin's token may soft-delete it
        assertThat(send("DELETE", "/api/v2/users/" + agent, null).statusCode()).isEqualTo(200);
        assertThat(zendesk.user(agent).orElseThrow().get("active").asBoolean()).isFalse();
    }

    @Test
    void anUpdatedEmailIsAddedAsASecondaryIdentityAndOnlyTheIdentitiesApiMakesItPrimary() throws Exception {
        long user = JSON.readTree(send(
                                "POST",
                                "/api/v2/users/create_or_update",
                                "{\"user\":{\"external_id\":\"c-6\",\"email\":\"old@acme.example\",\"name\":\"Six\"}}")
                        .body())
                .at("/user/id")
                .asLong();
        HttpResponse<String> updated = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"c-6\",\"email\":\"new@acme.example\"}}");

        // "Writeable on create only. On update, a secondary email is added."
        assertThat(JSON.readTree(updated.body()).at("/user/email").asText()).isEqualTo("old@acme.example");
        JsonNode identities = JSON.readTree(send("GET", "/api/v2/users/" + user + "/identities", null)
                        .body())
                .get("identities");
        assertThat(identities)
                .extracting(
                        i -> i.get("value").asText() + " " + i.get("primary").asBoolean())
                .containsExactly("old@acme.example true", "new@acme.example false");
        // both addresses find the user
        assertThat(send("GET", "/api/v2/users/search?query=email:old@acme.example", null)
                        .body())
                .contains("\"count\":1");
        assertThat(send("GET", "/api/v2/users/search?query=email:new@acme.example", null)
                        .body())
                .contains("\"count\":1");

        String oldId = identities.get(0).get("id").asText();
        String newId = identities.get(1).get("id").asText();
        assertThat(send("DELETE", "/api/v2/users/" + user + "/identities/" + oldId, null)
                        .statusCode())
                .as("the primary")
                .isEqualTo(422);
        assertThat(send("PUT", "/api/v2/users/" + user + "/identities/" + newId + "/make_primary", "{}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("DELETE", "/api/v2/users/" + user + "/identities/" + oldId, null)
                        .statusCode())
                .isEqualTo(204);

        assertThat(zendesk.user(user).orElseThrow().get("email").asText()).isEqualTo("new@acme.example");
        assertThat(send("GET", "/api/v2/users/search?query=email:old@acme.example", null)
                        .body())
                .contains("\"count\":0");
        // the old address is free again: a create_or_update with it makes another user
        assertThat(send(
                                "POST",
                                "/api/v2/users/create_or_update",
                                "{\"user\":{\"external_id\":\"c-66\",\"email\":\"old@acme.example\","
                                        + "\"name\":\"Other\"}}")
                        .statusCode())
                .isEqualTo(201);
        // an address another user holds cannot be added
        assertThat(send(
                                "POST",
                                "/api/v2/users/" + user + "/identities",
                                "{\"identity\":{\"type\":\"email\",\"value\":\"old@acme.example\"}}")
                        .statusCode())
                .isEqualTo(422);
        HttpResponse<String> added = send(
                "POST",
                "/api/v2/users/" + user + "/identities",
                "{\"identity\":{\"type\":\"email\",\"value\":\"third@acme.example\",\"skip_verify_email\":true}}");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(added.body()).at("/identity/primary").asBoolean())
                .isFalse();
        assertThat(zendesk.verificationEmailsSent()).containsExactly("old@acme.example", "old@acme.example");
    }

    @Test
    void writesToOneUserOverItsLimitGet429WithRetryAfterAsPlainText() throws Exception {
        zendesk.userWriteLimit(2, Duration.ofSeconds(30));
        String user = "{\"user\":{\"external_id\":\"c-3\",\"email\":\"lee@acme.example\",\"name\":\"Lee\"}}";
        assertThat(send("POST", "/api/v2/users/create_or_update", user).statusCode())
                .isEqualTo(201);
        assertThat(send("POST", "/api/v2/users/create_or_update", user).statusCode())
                .isEqualTo(200);
        HttpResponse<String> limited = send("POST", "/api/v2/users/create_or_update", user);
        // another user is not limited
        HttpResponse<String> other = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"c-4\",\"email\":\"kim@acme.example\",\"name\":\"Kim\"}}");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(28, 30);
        assertThat(other.statusCode()).isEqualTo(201);
    }

    @Test
    void deletesSoftDeleteUsersRemoveOrganizationsAndAnswer404WhenGone() throws Exception {
        long org = JSON.readTree(send(
                                "POST",
                                "/api/v2/organizations/create_or_update",
                                "{\"organization\":{\"external_id\":\"acc-9\",\"name\":\"Nine\"}}")
                        .body())
                .at("/organization/id")
                .asLong();
        long user = JSON.readTree(send(
                                "POST",
                                "/api/v2/users/create_or_update",
                                "{\"user\":{\"external_id\":\"c-9\",\"email\":\"nine@acme.example\","
                                        + "\"name\":\"Nine\",\"organization_id\":"
                                        + org + "}}")
                        .body())
                .at("/user/id")
                .asLong();

        assertThat(send("GET", "/api/v2/users/search?external_id=C-9", null).body())
                .contains("\"count\":1");
        assertThat(send("DELETE", "/api/v2/users/" + user, null).statusCode()).isEqualTo(200);
        HttpResponse<String> again = send("DELETE", "/api/v2/users/" + user, null);
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(again.body()).get("error").asText()).isEqualTo("RecordNotFound");
        assertThat(zendesk.users())
                .singleElement()
                .satisfies(u -> assertThat(u.get("active").asBoolean()).isFalse());
        assertThat(zendesk.userByExternalId("c-9")).isEmpty();
        assertThat(send("GET", "/api/v2/users/search?external_id=c-9", null).body())
                .contains("\"count\":0");

        assertThat(send("DELETE", "/api/v2/organizations/" + org, null).statusCode())
                .isEqualTo(204);
        assertThat(send("DELETE", "/api/v2/organizations/" + org, null).statusCode())
                .isEqualTo(404);
        assertThat(zendesk.organizations()).isEmpty();
    }

    @Test
    void aSoftDeletedUserKeepsItsExternalIdUntilPermanentlyDeletedButNotItsAddress() throws Exception {
        String user = "{\"user\":{\"external_id\":\"c-10\",\"email\":\"ten@acme.example\",\"name\":\"Ten\"}}";
        long first = JSON.readTree(
                        send("POST", "/api/v2/users/create_or_update", user).body())
                .at("/user/id")
                .asLong();
        assertThat(send("DELETE", "/api/v2/deleted_users/" + first, null).statusCode())
                .as("not deleted yet")
                .isEqualTo(404);
        assertThat(send("DELETE", "/api/v2/users/" + first, null).statusCode()).isEqualTo(200);

        HttpResponse<String> again = send("POST", "/api/v2/users/create_or_update", user);
        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(again.body())
                        .at("/details/external_id/0/description")
                        .asText())
                .contains("has already been taken");
        // its address is free: another external id with it makes a new user
        assertThat(send(
                                "POST",
                                "/api/v2/users/create_or_update",
                                "{\"user\":{\"external_id\":\"c-11\",\"email\":\"ten@acme.example\","
                                        + "\"name\":\"Eleven\"}}")
                        .statusCode())
                .isEqualTo(201);

        HttpResponse<String> purged = send("DELETE", "/api/v2/deleted_users/" + first, null);
        assertThat(purged.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(purged.body()).at("/deleted_user/email").isNull())
                .isTrue();
        assertThat(zendesk.user(first)).isEmpty();
        assertThat(send(
                                "POST",
                                "/api/v2/users/create_or_update",
                                "{\"user\":{\"external_id\":\"c-10\",\"email\":\"ten2@acme.example\","
                                        + "\"name\":\"Ten\"}}")
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void theOtherReadingReleasesADeletedUsersExternalId() throws Exception {
        zendesk.deletedUsersReleaseTheirExternalIds();
        String user = "{\"user\":{\"external_id\":\"c-12\",\"email\":\"twelve@acme.example\",\"name\":\"Twelve\"}}";
        long first = JSON.readTree(
                        send("POST", "/api/v2/users/create_or_update", user).body())
                .at("/user/id")
                .asLong();
        send("DELETE", "/api/v2/users/" + first, null);

        HttpResponse<String> again = send("POST", "/api/v2/users/create_or_update", user);
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(again.body()).at("/user/id").asLong()).isNotEqualTo(first);
    }

    @Test
    void externalIdsCompareWithoutCaseSoASearchFindsEveryCaseVariantAndAnUpdateKeepsTheWritersCase() throws Exception {
        zendesk.setOrganizationExternalIdByHand(zendesk.addOrganizationByHand("One"), "ACC-7");
        zendesk.setOrganizationExternalIdByHand(zendesk.addOrganizationByHand("Two"), "acc-7");
        send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"C-7\",\"email\":\"seven@acme.example\",\"name\":\"Seven\"}}");
        HttpResponse<String> updated = send(
                "POST", "/api/v2/users/create_or_update", "{\"user\":{\"external_id\":\"c-7\",\"name\":\"Sven\"}}");

        JsonNode organizations = JSON.readTree(send("GET", "/api/v2/organizations/search?external_id=Acc-7", null)
                .body());
        assertThat(organizations.get("organizations"))
                .extracting(o -> o.get("name").asText())
                .containsExactly("One", "Two");
        assertThat(organizations.get("count").asInt()).isEqualTo(2);
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(updated.body()).at("/user/external_id").asText())
                .isEqualTo("c-7");
        assertThat(JSON.readTree(send("GET", "/api/v2/users/search?external_id=C-7", null)
                                .body())
                        .get("users"))
                .hasSize(1);
    }

    @Test
    void showAndUpdateByIdAnswerRecordNotFoundForAnObjectThatIsGone() throws Exception {
        long org = JSON.readTree(send(
                                "POST",
                                "/api/v2/organizations/create_or_update",
                                "{\"organization\":{\"external_id\":\"acc-8\",\"name\":\"Eight\"}}")
                        .body())
                .at("/organization/id")
                .asLong();
        long user = JSON.readTree(send(
                                "POST",
                                "/api/v2/users/create_or_update",
                                "{\"user\":{\"external_id\":\"c-8\",\"email\":\"eight@acme.example\","
                                        + "\"name\":\"Eight\"}}")
                        .body())
                .at("/user/id")
                .asLong();

        HttpResponse<String> renamed = send(
                "PUT",
                "/api/v2/organizations/" + org,
                "{\"organization\":{\"external_id\":\"acc-8~1\",\"name\":\"Eight Ltd\"}}");
        assertThat(renamed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(send("GET", "/api/v2/organizations/" + org, null)
                                .body())
                        .at("/organization/external_id")
                        .asText())
                .isEqualTo("acc-8~1");

        zendesk.deleteUserByHand(user);
        // Show User still answers a soft-deleted user, inactive; an update does not find it
        assertThat(JSON.readTree(send("GET", "/api/v2/users/" + user, null).body())
                        .at("/user/active")
                        .asBoolean())
                .isFalse();
        assertThat(send("PUT", "/api/v2/users/" + user, "{\"user\":{\"name\":\"Back\"}}")
                        .statusCode())
                .isEqualTo(404);

        zendesk.deleteOrganizationByHand(org);
        HttpResponse<String> gone = send("GET", "/api/v2/organizations/" + org, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(gone.body()).get("error").asText()).isEqualTo("RecordNotFound");
        assertThat(send("PUT", "/api/v2/organizations/" + org, "{\"organization\":{\"name\":\"X\"}}")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void anUnknownPathIsInvalidEndpointAndANotFoundPageIsHtml() throws Exception {
        HttpResponse<String> unknown = send("DELETE", "/api/v2/organisations/1", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("InvalidEndpoint");

        zendesk.notFoundPageNext("DELETE", "/api/v2/users/.*", 1);
        HttpResponse<String> page = send("DELETE", "/api/v2/users/1", null);
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    }

    @Test
    void aTokenIsAcceptedOnlyInTheEmailSlashTokenForm() throws Exception {
        HttpResponse<String> passwordForm = HTTP.send(
                HttpRequest.newBuilder(URI.create(zendesk.baseUrl() + "/api/v2/users/search?external_id=x"))
                        .header("Authorization", "Basic " + base64(AGENT + ":" + TOKEN))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongToken = HTTP.send(
                HttpRequest.newBuilder(URI.create(zendesk.baseUrl() + "/api/v2/users/search?external_id=x"))
                        .header("Authorization", "Basic " + base64(AGENT + "/token:nope"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(passwordForm.statusCode()).isEqualTo(401);
        assertThat(wrongToken.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrongToken.body()).get("error").asText()).isEqualTo("Couldn't authenticate you");
        assertThat(send("GET", "/api/v2/users/search?external_id=x", null).statusCode())
                .isEqualTo(200);
        assertThat(zendesk.calls())
                .allSatisfy(c -> assertThat(c.header("Authorization")).isNull());
    }

    @Test
    void anAgentWithoutTheManageRoleIsForbiddenToWriteButMayRead() throws Exception {
        zendesk.tokensOfAgentsWithoutManageRole(TOKEN);
        HttpResponse<String> org = send(
                "POST",
                "/api/v2/organizations/create_or_update",
                "{\"organization\":{\"external_id\":\"a\",\"name\":\"A\"}}");
        HttpResponse<String> user = send(
                "POST",
                "/api/v2/users/create_or_update",
                "{\"user\":{\"external_id\":\"c\",\"email\":\"c@acme.example\",\"name\":\"C\"}}");

        assertThat(org.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(org.body()).get("error").asText()).isEqualTo("Forbidden");
        assertThat(user.statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/api/v2/users/1", null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v2/users/search?external_id=c", null).statusCode())
                .isEqualTo(200);
        assertThat(zendesk.organizations()).isEmpty();
        assertThat(zendesk.users()).isEmpty();
    }

    @Test
    void unavailableAnswers503WithRetryAfterAndChangesNothing() throws Exception {
        zendesk.unavailableNext("POST", "/api/v2/organizations/create_or_update", 1, 7);
        HttpResponse<String> r = send(
                "POST",
                "/api/v2/organizations/create_or_update",
                "{\"organization\":{\"external_id\":\"acc-5\",\"name\":\"Five\"}}");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(zendesk.organizations()).isEmpty();
        assertThat(zendesk.calls("POST", "/api/v2/organizations/create_or_update"))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(503));
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(zendesk.baseUrl() + path))
                .header("Authorization", "Basic " + base64(AGENT + "/token:" + TOKEN));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
