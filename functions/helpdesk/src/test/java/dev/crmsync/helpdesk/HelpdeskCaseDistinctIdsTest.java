package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import dev.crmsync.synccore.state.StateKey;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * CRM ids are case-sensitive (Salesforce: {@code 001xx000003DGbA} and {@code 001xx000003DGba} are
 * two accounts), Zendesk's {@code external_id} is not: two records whose ids differ only in case
 * still get an organization or a user each, an upsert of one never changes the other's, and a
 * delete of one removes only its own.
 */
class HelpdeskCaseDistinctIdsTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();

    @RegisterExtension
    final LocalDeployment<HelpdeskHarness> local =
            LocalDeployment.of(zendesk, () -> new HelpdeskHarness(zendesk, 4, 30));

    @Test
    void twoAccountsWhoseIdsDifferOnlyInCaseGetAnOrganizationEachAndADeleteRemovesOnlyItsOwn() {
        String base = SampleEvents.unique("001");
        String upper = base + "DGbA";
        String lower = base + "DGba";
        local.deliver(HelpdeskHarness.accountUpserted(upper, 1, "Upper " + base));
        local.deliver(HelpdeskHarness.accountUpserted(lower, 1, "Lower " + base));

        assertThat(zendesk.organizations())
                .extracting(o -> o.get("name").asText())
                .containsExactlyInAnyOrder("Upper " + base, "Lower " + base);
        String upperOrg =
                local.harness().recordItem("account", upper).get("externalId").s();
        String lowerOrg =
                local.harness().recordItem("account", lower).get("externalId").s();
        assertThat(upperOrg).isNotEqualTo(lowerOrg);

        // a change of one leaves the other alone
        local.deliver(HelpdeskHarness.accountUpserted(upper, 2, "Upper Corp " + base));
        assertThat(organization(lowerOrg).get("name").asText()).isEqualTo("Lower " + base);

        local.deliver(HelpdeskHarness.deleted("account.deleted", upper, 3));
        assertThat(zendesk.organizations())
                .singleElement()
                .satisfies(o -> assertThat(o.get("id").asText()).isEqualTo(lowerOrg));

        local.deliver(HelpdeskHarness.deleted("account.deleted", lower, 2));
        assertThat(zendesk.organizations()).isEmpty();
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void twoContactsWhoseIdsDifferOnlyInCaseGetAUserEachAndADeleteRemovesOnlyItsOwn() {
        String base = SampleEvents.unique("003");
        String upper = base + "DGbA";
        String lower = base + "DGba";
        local.deliver(contact(upper, "upper-" + base, "Uma"));
        local.deliver(contact(lower, "lower-" + base, "Lou"));

        assertThat(zendesk.users())
                .extracting(u -> u.get("name").asText())
                .containsExactlyInAnyOrder("Uma Lee", "Lou Lee");
        String upperUser =
                local.harness().recordItem("contact", upper).get("externalId").s();
        String lowerUser =
                local.harness().recordItem("contact", lower).get("externalId").s();
        assertThat(upperUser).isNotEqualTo(lowerUser);

        local.deliver(HelpdeskHarness.deleted("contact.deleted", lower, 2));

        assertThat(zendesk.users())
                .filteredOn(u -> u.get("active").asBoolean())
                .singleElement()
                .satisfies(u -> assertThat(u.get("id").asText()).isEqualTo(upperUser));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void anOrganizationMappedBeforeTheEncodingIsFoundByItsStoredIdAndOnlyItsOwnRecordMovesIt() {
        String base = SampleEvents.unique("001");
        String upper = base + "DGbA";
        String lower = base + "DGba";
        local.deliver(HelpdeskHarness.accountUpserted(upper, 1, "Upper " + base));
        String shared =
                local.harness().recordItem("account", upper).get("externalId").s();
        // as the connector left things before the encoding: the organization carries the raw id, the
        // record items have no note of the written form, and the case-distinct account shares it
        zendesk.setOrganizationExternalIdByHand(Long.parseLong(shared), upper);
        forgetWrittenExternalId(upper, shared);
        forgetWrittenExternalId(lower, shared);

        local.deliver(HelpdeskHarness.accountUpserted(lower, 2, "Lower " + base));
        local.deliver(HelpdeskHarness.accountUpserted(upper, 2, "Upper Corp " + base));

        // the upper-case account's organization is updated where it is and given the new external_id
        assertThat(zendesk.calls("PUT", "/api/v2/organizations/.*"))
                .singleElement()
                .satisfies(c -> assertThat(c.path()).isEqualTo("/api/v2/organizations/" + shared));
        assertThat(organization(shared).get("external_id").asText()).isEqualTo(upper + "~16.17.19");
        assertThat(organization(shared).get("name").asText()).isEqualTo("Upper Corp " + base);
        // the other account did not own it: it got its own, and the shared one was left alone
        String lowerOrg =
                local.harness().recordItem("account", lower).get("externalId").s();
        assertThat(lowerOrg).isNotEqualTo(shared);
        assertThat(organization(lowerOrg).get("external_id").asText()).isEqualTo(lower + "~16.17");
        assertThat(local.harness()
                        .recordItem("account", upper)
                        .get("externalId")
                        .s())
                .isEqualTo(shared);

        local.deliver(HelpdeskHarness.deleted("account.deleted", lower, 3));
        assertThat(zendesk.organizations())
                .singleElement()
                .satisfies(o -> assertThat(o.get("id").asText()).isEqualTo(shared));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    /**
     * The record item as a commit before the encoding wrote it: mapped to {@code organizationId}, no written form
     * noted.
     */
    private void forgetWrittenExternalId(String accountId, String organizationId) {
        local.harness()
                .aws
                .dynamo()
                .updateItem(b -> b.tableName(local.harness().table)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS(
                                        StateKey.record(ZendeskConnector.INTEGRATION, "account", accountId))))
                        .updateExpression(
                                "SET externalId = :id, appliedVersion = if_not_exists(appliedVersion, :one) REMOVE "
                                        + "externalIds")
                        .expressionAttributeValues(Map.of(
                                ":id", AttributeValue.fromS(organizationId), ":one", AttributeValue.fromN("1"))));
    }

    private JsonNode organization(String id) {
        return zendesk.organizations().stream()
                .filter(o -> o.get("id").asText().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static String contact(String contactId, String mailbox, String firstName) {
        return SampleEvents.event("contact.upserted", "evt-" + contactId + "-v1", contactId, 1, data -> {
            data.put("firstName", firstName);
            data.put("email", mailbox + "@acme.example");
            data.remove("accountId");
        });
    }
}
