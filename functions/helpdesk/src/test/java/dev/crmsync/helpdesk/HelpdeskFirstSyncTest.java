package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The first sync into a Zendesk account that already holds data made by hand: the organization an
 * agent made with the account's name is adopted, and a contact whose e-mail address belongs to a
 * member of the support team is never written to that agent — it reaches the DLQ as
 * {@code staff_user} — while the account's other contacts are applied.
 */
class HelpdeskFirstSyncTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();

    @RegisterExtension
    final LocalDeployment<HelpdeskHarness> local =
            LocalDeployment.of(zendesk, () -> new HelpdeskHarness(zendesk, 4, 30));

    @Test
    void theOrganizationIsAdoptedTheAgentIsLeftAloneAndItsContactIsDeadLetteredAsStaff() {
        String account = SampleEvents.unique("001");
        String customer = SampleEvents.unique("003");
        String colleague = SampleEvents.unique("003");
        long handMade = zendesk.addOrganizationByHand("Acme " + account);
        // a member of the support team whose address is also a CRM contact's (an employee who is a customer too)
        long agent =
                zendesk.addStaffUserByHand("Sam Agent", colleague.toLowerCase(Locale.ROOT) + "@acme.example", "agent");
        JsonNode agentBefore = zendesk.user(agent).orElseThrow();

        local.harness().send(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        local.esm().drain(Duration.ofSeconds(20));
        local.harness().send(HelpdeskHarness.contactUpserted(customer, account, 1, "Dana"));
        local.harness().send(HelpdeskHarness.contactUpserted(colleague, account, 1, "Sam"));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(zendesk.organizations()).singleElement().satisfies(org -> {
            assertThat(org.get("id").asLong()).isEqualTo(handMade);
            assertThat(org.get("external_id").asText()).isEqualTo(account);
        });
        assertThat(zendesk.user(agent).orElseThrow()).isEqualTo(agentBefore);
        assertThat(local.harness().acceptedWrites("user", colleague)).isEmpty();
        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + colleague + "-v1");
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("staff_user");
        assertThat(status.get("reason").s())
                .contains("Zendesk user " + agent)
                .contains("agent")
                .doesNotContain(colleague.toLowerCase(Locale.ROOT) + "@acme.example");
        assertThat(local.harness().dlqMessages()).hasSize(1);

        assertThat(zendesk.userByExternalId(customer)
                        .orElseThrow()
                        .get("organization_id")
                        .asLong())
                .isEqualTo(handMade);
        assertThat(local.harness()
                        .recordItem("contact", customer)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");
    }
}
