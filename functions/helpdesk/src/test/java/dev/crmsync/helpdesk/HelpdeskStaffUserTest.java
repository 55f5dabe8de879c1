package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** crm-sync never deletes a member of the support team, also one its own contact became by hand. */
class HelpdeskStaffUserTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();
    private HelpdeskHarness harness;
    private LocalEventSourceMapping esm;

    @BeforeEach
    void deploy() {
        zendesk.reset();
        harness = new HelpdeskHarness(zendesk, 4, 30);
        esm = harness.eventSourceMapping(harness.pipeline());
    }

    @Test
    void aContactWhoseUserWasMadeAnAgentIsNotDeletedWithTheContact() {
        String contact = SampleEvents.unique("003");
        harness.send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        esm.drain(Duration.ofSeconds(10));
        long user = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        zendesk.setUserRoleByHand(user, "admin");

        harness.send(HelpdeskHarness.deleted("contact.deleted", contact, 2));
        esm.drain(Duration.ofSeconds(20));

        assertThat(zendesk.user(user).orElseThrow().get("active").asBoolean()).isTrue();
        assertThat(zendesk.calls("DELETE", "/api/v2/users/.*")).isEmpty();
        assertThat(harness.statusItem("evt-" + contact + "-v2").get("errorClass").s()).isEqualTo("staff_user");
        assertThat(harness.statusItem("evt-" + contact + "-v2").get("reason").s()).contains("Zendesk user " + user).contains("admin");
        assertThat(harness.dlqMessages()).hasSize(1);
    }

    @Test
    void aContactCreatedAgainWhoseAddressAnAgentHasSinceIsNotWrittenToTheAgent() {
        String contact = SampleEvents.unique("003");
        harness.send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        esm.drain(Duration.ofSeconds(10));
        harness.send(HelpdeskHarness.deleted("contact.deleted", contact, 2));
        esm.drain(Duration.ofSeconds(10));
        long agent = zendesk.addStaffUserByHand("Dana Agent", contact.toLowerCase(java.util.Locale.ROOT) + "@acme.example", "agent");
        var before = zendesk.user(agent).orElseThrow();

        harness.send(HelpdeskHarness.contactUpserted(contact, null, 3, "Dana"));
        esm.drain(Duration.ofSeconds(20));

        assertThat(zendesk.user(agent).orElseThrow()).isEqualTo(before);
        assertThat(harness.statusItem("evt-" + contact + "-v3").get("errorClass").s()).isEqualTo("staff_user");
        assertThat(harness.statusItem("evt-" + contact + "-v3").get("reason").s()).contains("nothing was written");
    }

    @Test
    void aStaffUserAlreadyWrittenIsNeverMapped() {
        String contact = SampleEvents.unique("003");
        harness.send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        esm.drain(Duration.ofSeconds(10));
        long user = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        zendesk.setUserRoleByHand(user, "agent");

        harness.send(HelpdeskHarness.contactUpserted(contact, null, 2, "Dana"));
        esm.drain(Duration.ofSeconds(20));

        assertThat(harness.statusItem("evt-" + contact + "-v2").get("errorClass").s()).isEqualTo("staff_user");
        assertThat(harness.recordItem("contact", contact).get("appliedVersion").n()).isEqualTo("1");
        assertThat(zendesk.calls("POST", "/api/v2/users/create_or_update")).allSatisfy(c -> assertThat(c.body().path("user").has("role")).isFalse());
    }
}
