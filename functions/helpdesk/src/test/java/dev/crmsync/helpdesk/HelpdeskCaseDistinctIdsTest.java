package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CRM ids are case-sensitive (Salesforce: {@code 001xx000003DGbA} and {@code 001xx000003DGba} are
 * two accounts), Zendesk's {@code external_id} is not: two records whose ids differ only in case
 * still get an organization or a user each, an upsert of one never changes the other's, and a
 * delete of one removes only its own.
 */
class HelpdeskCaseDistinctIdsTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();
    private HelpdeskHarness harness;
    private LocalEventSourceMapping esm;

    @BeforeEach
    void deploy() {
        zendesk.reset();
        harness = new HelpdeskHarness(zendesk, 4, 30);
        esm = harness.eventSourceMapping(harness.pipeline());
    }

    private void deliver(String... bodies) {
        for (String body : bodies) {
            harness.send(body);
        }
        esm.drain(Duration.ofSeconds(20));
    }

    @Test
    void twoAccountsWhoseIdsDifferOnlyInCaseGetAnOrganizationEachAndADeleteRemovesOnlyItsOwn() {
        String base = SampleEvents.unique("001");
        String upper = base + "DGbA";
        String lower = base + "DGba";
        deliver(HelpdeskHarness.accountUpserted(upper, 1, "Upper " + base));
        deliver(HelpdeskHarness.accountUpserted(lower, 1, "Lower " + base));

        assertThat(zendesk.organizations()).extracting(o -> o.get("name").asText())
                .containsExactlyInAnyOrder("Upper " + base, "Lower " + base);
        String upperOrg = harness.recordItem("account", upper).get("externalId").s();
        String lowerOrg = harness.recordItem("account", lower).get("externalId").s();
        assertThat(upperOrg).isNotEqualTo(lowerOrg);

        // a change of one leaves the other alone
        deliver(HelpdeskHarness.accountUpserted(upper, 2, "Upper Corp " + base));
        assertThat(organization(lowerOrg).get("name").asText()).isEqualTo("Lower " + base);

        deliver(HelpdeskHarness.deleted("account.deleted", upper, 3));
        assertThat(zendesk.organizations()).singleElement()
                .satisfies(o -> assertThat(o.get("id").asText()).isEqualTo(lowerOrg));

        deliver(HelpdeskHarness.deleted("account.deleted", lower, 2));
        assertThat(zendesk.organizations()).isEmpty();
        assertThat(harness.dlqMessages()).isEmpty();
    }

    @Test
    void twoContactsWhoseIdsDifferOnlyInCaseGetAUserEachAndADeleteRemovesOnlyItsOwn() {
        String base = SampleEvents.unique("003");
        String upper = base + "DGbA";
        String lower = base + "DGba";
        deliver(contact(upper, "upper-" + base, "Uma"));
        deliver(contact(lower, "lower-" + base, "Lou"));

        assertThat(zendesk.users()).extracting(u -> u.get("name").asText()).containsExactlyInAnyOrder("Uma Lee", "Lou Lee");
        String upperUser = harness.recordItem("contact", upper).get("externalId").s();
        String lowerUser = harness.recordItem("contact", lower).get("externalId").s();
        assertThat(upperUser).isNotEqualTo(lowerUser);

        deliver(HelpdeskHarness.deleted("contact.deleted", lower, 2));

        assertThat(zendesk.users()).filteredOn(u -> u.get("active").asBoolean()).singleElement()
                .satisfies(u -> assertThat(u.get("id").asText()).isEqualTo(upperUser));
        assertThat(harness.dlqMessages()).isEmpty();
    }

    private JsonNode organization(String id) {
        return zendesk.organizations().stream().filter(o -> o.get("id").asText().equals(id)).findFirst().orElseThrow();
    }

    private static String contact(String contactId, String mailbox, String firstName) {
        return SampleEvents.event("contact.upserted", "evt-" + contactId + "-v1", contactId, 1, data -> {
            data.put("firstName", firstName);
            data.put("email", mailbox + "@acme.example");
            data.remove("accountId");
        });
    }
}
