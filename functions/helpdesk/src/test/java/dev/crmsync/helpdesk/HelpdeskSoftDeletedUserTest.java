package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A contact deleted and then created again (an undelete or a merge in the CRM) gets a Zendesk user
 * again and never lands in the DLQ, whichever reading of Zendesk's soft delete holds: a
 * soft-deleted user that keeps the contact's external_id (the sandbox's default) or one that
 * releases it.
 */
class HelpdeskSoftDeletedUserTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();

    @RegisterExtension
    final LocalDeployment<HelpdeskHarness> local =
            LocalDeployment.of(zendesk, () -> new HelpdeskHarness(zendesk, 4, 30));

    private void deliver(String body) {
        local.harness().send(body);
        local.esm().drain(Duration.ofSeconds(20));
    }

    @Test
    void aContactDeletedThenCreatedAgainGetsAUserAgainWhileTheDeletedOneHoldsItsExternalId() {
        String contact = SampleEvents.unique("003");
        deliver(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        long first = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        deliver(HelpdeskHarness.deleted("contact.deleted", contact, 2));

        deliver(HelpdeskHarness.contactUpserted(contact, null, 3, "Dana"));

        long second = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        assertThat(second).isNotEqualTo(first);
        // soft deletes cannot be undone: the deleted user that still held the external_id is permanently deleted
        assertThat(zendesk.user(first)).isEmpty();
        assertThat(zendesk.calls("DELETE", "/api/v2/deleted_users/" + first))
                .singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(200));
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("externalId")
                        .s())
                .isEqualTo(Long.toString(second));
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("3");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aUserDeletedByHandIsCreatedAgainByTheContactsNextChange() {
        String contact = SampleEvents.unique("003");
        deliver(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        long first = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        zendesk.deleteUserByHand(first);

        deliver(HelpdeskHarness.contactUpserted(contact, null, 2, "Dana M."));

        assertThat(zendesk.userByExternalId(contact).orElseThrow().get("name").asText())
                .isEqualTo("Dana M. Lee");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void whenZendeskReleasesTheExternalIdTheDeletedUserIsLeftAsItIs() {
        zendesk.deletedUsersReleaseTheirExternalIds();
        String contact = SampleEvents.unique("003");
        deliver(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        long first = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        deliver(HelpdeskHarness.deleted("contact.deleted", contact, 2));

        deliver(HelpdeskHarness.contactUpserted(contact, null, 3, "Dana"));

        assertThat(zendesk.userByExternalId(contact).orElseThrow().get("id").asLong())
                .isNotEqualTo(first);
        assertThat(zendesk.user(first).orElseThrow().get("active").asBoolean()).isFalse();
        assertThat(zendesk.calls("DELETE", "/api/v2/deleted_users/.*")).isEmpty();
        assertThat(local.harness().dlqMessages()).isEmpty();
    }
}
