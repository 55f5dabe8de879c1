package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The helpdesk function end to end on local servers (dynalite, ElasticMQ, the Zendesk sandbox):
 * accounts and contacts become organizations and users, once, at their latest state; a contact
 * waits for its account's organization; deletes reach Zendesk; duplicates and older versions are
 * not sent; what an applied record and a duplicate cost in state writes.
 */
class HelpdeskPipelineTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();

    @RegisterExtension
    final LocalDeployment<HelpdeskHarness> local =
            LocalDeployment.of(zendesk, () -> new HelpdeskHarness(zendesk, 5, 30));

    @Test
    void accountUpsertCreatesTheOrganizationThenUpdatesTheSameOne() {
        String account = SampleEvents.unique("001");
        local.deliver(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        local.deliver(HelpdeskHarness.accountUpserted(account, 2, "Acme Corp " + account));

        assertThat(zendesk.calls("POST", "/api/v2/organizations/create_or_update"))
                .extracting(c -> c.status())
                .containsExactly(201, 200);
        JsonNode org = zendesk.organizationByExternalId(account).orElseThrow();
        assertThat(zendesk.organizations()).hasSize(1);
        assertThat(org.get("name").asText()).isEqualTo("Acme Corp " + account);
        // the sample account's domain, address and description
        assertThat(org.at("/domain_names/0").asText()).isEqualTo("acme.example");
        assertThat(org.get("details").asText()).isEqualTo("100 Market Street, Suite 300, San Francisco, CA 94105, US");
        assertThat(org.get("notes").asText()).isEqualTo("Enterprise customer since 2019.");
        assertThat(local.harness()
                        .recordItem("account", account)
                        .get("externalId")
                        .s())
                .isEqualTo(org.get("id").asText());
        assertThat(local.harness()
                        .recordItem("account", account)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("2");
    }

    @Test
    void anOrganizationDeletedByHandInZendeskIsCreatedAgainAndTheMappingMoves() {
        String account = SampleEvents.unique("001");
        local.deliver(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        long first = zendesk.organizationByExternalId(account)
                .orElseThrow()
                .get("id")
                .asLong();
        zendesk.deleteOrganizationByHand(first);

        local.deliver(HelpdeskHarness.accountUpserted(account, 2, "Acme " + account));

        long second = zendesk.organizationByExternalId(account)
                .orElseThrow()
                .get("id")
                .asLong();
        assertThat(second).isNotEqualTo(first);
        assertThat(local.harness()
                        .recordItem("account", account)
                        .get("externalId")
                        .s())
                .isEqualTo(Long.toString(second));
    }

    @Test
    void contactUpsertCreatesTheUserInItsAccountsOrganization() {
        String account = SampleEvents.unique("001");
        String contact = SampleEvents.unique("003");
        local.deliver(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        local.deliver(HelpdeskHarness.contactUpserted(contact, account, 1, "Dana"));

        long orgId = zendesk.organizationByExternalId(account)
                .orElseThrow()
                .get("id")
                .asLong();
        JsonNode user = zendesk.userByExternalId(contact).orElseThrow();
        assertThat(user.get("organization_id").asLong()).isEqualTo(orgId);
        assertThat(user.get("name").asText()).isEqualTo("Dana Lee");
        assertThat(user.get("email").asText()).isEqualTo(contact.toLowerCase(Locale.ROOT) + "@acme.example");
        // the sample's "+1 415 555 0142" as E.164
        assertThat(user.get("phone").asText()).isEqualTo("+14155550142");
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("externalId")
                        .s())
                .isEqualTo(user.get("id").asText());
    }

    @Test
    void aFirstSyncAdoptsTheOrganizationAnAgentMadeByHandWithTheAccountsName() {
        // Zendesk names are unique and name is no matching criterion: create_or_update answers 422
        String account = SampleEvents.unique("001");
        String contact = SampleEvents.unique("003");
        long handMade = zendesk.addOrganizationByHand(" Acme " + account + " ");
        local.deliver(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        local.deliver(HelpdeskHarness.contactUpserted(contact, account, 1, "Dana"));

        assertThat(zendesk.organizations()).singleElement().satisfies(org -> {
            assertThat(org.get("id").asLong()).isEqualTo(handMade);
            assertThat(org.get("external_id").asText()).isEqualTo(account);
            assertThat(org.get("name").asText()).isEqualTo("Acme " + account);
        });
        assertThat(zendesk.userByExternalId(contact)
                        .orElseThrow()
                        .get("organization_id")
                        .asLong())
                .isEqualTo(handMade);
        assertThat(local.harness()
                        .recordItem("account", account)
                        .get("externalId")
                        .s())
                .isEqualTo(Long.toString(handMade));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void phoneNumbersGoAsE164AndOneThatCannotBeMadeE164ClearsThePhone() {
        String formatted = SampleEvents.unique("003");
        String national = SampleEvents.unique("003");
        local.deliver(SampleEvents.event("contact.upserted", "evt-" + formatted + "-v1", formatted, 1, data -> {
            data.remove("accountId");
            data.put("email", formatted.toLowerCase(Locale.ROOT) + "@acme.example");
            data.put("phone", "+44 (20) 7946-0958");
        }));
        local.deliver(SampleEvents.event("contact.upserted", "evt-" + national + "-v1", national, 1, data -> {
            data.remove("accountId");
            data.put("email", national.toLowerCase(Locale.ROOT) + "@acme.example");
            data.put("phone", "(415) 555-0142");
        }));

        assertThat(zendesk.userByExternalId(formatted)
                        .orElseThrow()
                        .get("phone")
                        .asText())
                .isEqualTo("+442079460958");
        // no country code: no E.164 number can be made of it safely, so the user holds no phone rather than a wrong one
        assertThat(zendesk.userByExternalId(national).orElseThrow().get("phone").isNull())
                .isTrue();
        assertThat(local.harness()
                        .recordItem("contact", national)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void usersAreCreatedWithoutAZendeskVerificationEmail() {
        String contact = SampleEvents.unique("003");
        local.deliver(HelpdeskHarness.contactUpserted(contact, null, 1, "Vera"));
        local.deliver(HelpdeskHarness.contactUpserted(contact, null, 2, "Vera M."));

        assertThat(zendesk.userByExternalId(contact)).isPresent();
        assertThat(zendesk.verificationEmailsSent()).isEmpty();
        assertThat(zendesk.calls("POST", "/api/v2/users/create_or_update"))
                .allSatisfy(
                        c -> assertThat(c.body().at("/user/skip_verify_email").asBoolean())
                                .isTrue());
    }

    @Test
    void contactWithoutAnAccountBecomesAUserWithoutOrganization() {
        String contact = SampleEvents.unique("003");
        local.deliver(HelpdeskHarness.contactUpserted(contact, null, 1, "Kim"));

        JsonNode user = zendesk.userByExternalId(contact).orElseThrow();
        assertThat(user.get("organization_id").isNull()).isTrue();
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");
    }

    @Test
    void contactWaitsForItsAccountsOrganizationThenIsCreatedInIt() {
        String account = SampleEvents.unique("001");
        String contact = SampleEvents.unique("003");
        local.harness().send(HelpdeskHarness.contactUpserted(contact, account, 1, "Dana"));
        local.esm().pollOnce();

        // never a user without its organization: Zendesk was not asked, nothing was claimed
        assertThat(zendesk.calls()).isEmpty();
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v1")
                        .get("errorClass")
                        .s())
                .isEqualTo("dependency_missing");
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v1")
                        .get("reason")
                        .s())
                .contains(account);
        assertThat(local.harness().recordItem("contact", contact))
                .doesNotContainKeys("appliedVersion", "leaseOwner", "externalId");

        local.deliver(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));

        long orgId = zendesk.organizationByExternalId(account)
                .orElseThrow()
                .get("id")
                .asLong();
        assertThat(local.harness().acceptedWrites("user", contact))
                .singleElement()
                .satisfies(u -> assertThat(u.get("organization_id").asLong()).isEqualTo(orgId));
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v1")
                        .get("outcome")
                        .s())
                .isEqualTo("APPLIED");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aDuplicateContactInItsAccountsOrganizationIsWrittenOnce() {
        String account = SampleEvents.unique("001");
        String contact = SampleEvents.unique("003");
        String contactEvent = HelpdeskHarness.contactUpserted(contact, account, 1, "Dana");
        local.deliver(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        local.deliver(contactEvent, contactEvent);

        assertThat(local.harness().acceptedWrites("user", contact)).hasSize(1);
        assertThat(zendesk.users()).hasSize(1);
    }

    @Test
    void aContactReadsItsAccountsOrganizationInOneBatchThenCostsTwoWrites() {
        String account = SampleEvents.unique("001");
        local.deliver(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));

        String contact = SampleEvents.unique("003");
        local.harness().dynamoOperations.clear();
        local.deliver(HelpdeskHarness.contactUpserted(contact, account, 1, "Dana"));
        assertThat(local.harness().count("UpdateItem")).isEqualTo(2);
        assertThat(local.harness().count("BatchGetItem")).isEqualTo(1);
        assertThat(local.harness().count("PutItem") + local.harness().count("TransactWriteItems"))
                .isZero();
    }

    @Test
    void contactDeletedSoftDeletesItsUser() {
        String contact = SampleEvents.unique("003");
        local.deliver(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        String userId =
                local.harness().recordItem("contact", contact).get("externalId").s();
        local.deliver(HelpdeskHarness.deleted("contact.deleted", contact, 2));

        assertThat(zendesk.calls("DELETE", "/api/v2/users/.*"))
                .singleElement()
                .satisfies(c -> assertThat(c.path()).isEqualTo("/api/v2/users/" + userId));
        assertThat(zendesk.users())
                .singleElement()
                .satisfies(u -> assertThat(u.get("active").asBoolean()).isFalse());
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("2");

        // the upsert it replaced, arriving late, is stale: the user is not brought back
        local.deliver(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        assertThat(zendesk.userByExternalId(contact)).isEmpty();
    }

    @Test
    void accountDeletedDeletesItsOrganizationAndAnAlreadyGoneOneCountsAsDeleted() {
        String account = SampleEvents.unique("001");
        String gone = SampleEvents.unique("001");
        local.deliver(
                HelpdeskHarness.accountUpserted(account, 1, "Acme " + account),
                HelpdeskHarness.accountUpserted(gone, 1, "Gone " + gone));
        long goneId =
                zendesk.organizationByExternalId(gone).orElseThrow().get("id").asLong();
        zendesk.deleteOrganizationByHand(goneId);

        local.deliver(
                HelpdeskHarness.deleted("account.deleted", account, 2),
                HelpdeskHarness.deleted("account.deleted", gone, 2));

        assertThat(zendesk.organizations()).isEmpty();
        assertThat(zendesk.calls("DELETE", "/api/v2/organizations/.*"))
                .extracting(c -> c.status())
                .containsExactlyInAnyOrder(204, 404);
        assertThat(local.harness()
                        .recordItem("account", gone)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("2");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void deleteOfAContactNeverSyncedLooksItUpAndSendsNothing() {
        String contact = SampleEvents.unique("003");
        local.deliver(HelpdeskHarness.deleted("contact.deleted", contact, 1));

        assertThat(zendesk.calls()).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("GET");
            assertThat(c.path()).isEqualTo("/api/v2/users/search");
            assertThat(c.params()).containsEntry("external_id", contact);
        });
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }
}
