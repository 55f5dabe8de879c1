package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** crm-sync never deletes a member of the support team, also one its own contact became by hand. */
class HelpdeskStaffUserTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();

    @RegisterExtension
    final LocalDeployment<HelpdeskHarness> local =
            LocalDeployment.of(zendesk, () -> new HelpdeskHarness(zendesk, 4, 30));

    @Test
    void aContactWhoseUserWasMadeAnAgentIsNotDeletedWithTheContact() {
        String contact = SampleEvents.unique("003");
        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        local.esm().drain(Duration.ofSeconds(10));
        long user = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        zendesk.setUserRoleByHand(user, "admin");

        local.harness().send(HelpdeskHarness.deleted("contact.deleted", contact, 2));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(zendesk.user(user).orElseThrow().get("active").asBoolean()).isTrue();
        assertThat(zendesk.calls("DELETE", "/api/v2/users/.*")).isEmpty();
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v2")
                        .get("errorClass")
                        .s())
                .isEqualTo("staff_user");
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v2")
                        .get("reason")
                        .s())
                .contains("Zendesk user " + user)
                .contains("admin");
        assertThat(local.harness().dlqMessages()).hasSize(1);
    }

    @Test
    void aContactCreatedAgainWhoseAddressAnAgentHasSinceIsNotWrittenToTheAgent() {
        String contact = SampleEvents.unique("003");
        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        local.esm().drain(Duration.ofSeconds(10));
        local.harness().send(HelpdeskHarness.deleted("contact.deleted", contact, 2));
        local.esm().drain(Duration.ofSeconds(10));
        long agent = zendesk.addStaffUserByHand(
                "Dana Agent", contact.toLowerCase(java.util.Locale.ROOT) + "@acme.example", "agent");
        var before = zendesk.user(agent).orElseThrow();

        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 3, "Dana"));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(zendesk.user(agent).orElseThrow()).isEqualTo(before);
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v3")
                        .get("errorClass")
                        .s())
                .isEqualTo("staff_user");
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v3")
                        .get("reason")
                        .s())
                .contains("nothing was written");
    }

    @Test
    void aStaffUserAlreadyWrittenIsNeverMapped() {
        String contact = SampleEvents.unique("003");
        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        local.esm().drain(Duration.ofSeconds(10));
        long user = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        zendesk.setUserRoleByHand(user, "agent");

        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 2, "Dana"));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v2")
                        .get("errorClass")
                        .s())
                .isEqualTo("staff_user");
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");
        assertThat(zendesk.calls("POST", "/api/v2/users/create_or_update"))
                .allSatisfy(c -> assertThat(c.body().path("user").has("role")).isFalse());
    }
}
