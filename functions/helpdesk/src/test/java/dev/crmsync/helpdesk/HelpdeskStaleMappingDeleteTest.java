package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A delete removes what the CRM record maps to <em>now</em>, not what the record item remembers:
 * an object deleted by hand in Zendesk, replaced by a retried upsert whose commit was overtaken by
 * the delete, does not survive. And a 404 is "already gone" only when it is Zendesk's
 * {@code RecordNotFound}; any other 404 (a page from a host that is not the account's API) is a
 * classified failure that reaches the DLQ with a status record, never a silent success.
 */
class HelpdeskStaleMappingDeleteTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();
    private HelpdeskHarness harness;
    private LocalEventSourceMapping esm;

    @BeforeEach
    void deploy() {
        zendesk.reset();
        harness = new HelpdeskHarness(zendesk, 4, 30);
        // a failed attempt waits 3 s: time for a newer event to overtake it
        harness.environment.put("CRM_SYNC_BACKOFF_BASE_SECONDS", "3");
        esm = harness.eventSourceMapping(harness.pipeline());
    }

    @Test
    void aReplacementOrganizationMadeByAnOvertakenRetryIsDeletedWithTheAccount() {
        String account = SampleEvents.unique("001");
        harness.send(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        esm.drain(Duration.ofSeconds(10));
        long first = zendesk.organizationByExternalId(account)
                .orElseThrow()
                .get("id")
                .asLong();
        zendesk.deleteOrganizationByHand(first);

        // v2 re-creates the organization, but Zendesk's answer is a 500: the record still names the first one
        zendesk.failAfterWorkNext("POST", "/api/v2/organizations/create_or_update", 1, 500);
        harness.send(HelpdeskHarness.accountUpserted(account, 2, "Acme " + account));
        esm.pollOnce();
        long replacement = zendesk.organizationByExternalId(account)
                .orElseThrow()
                .get("id")
                .asLong();
        assertThat(harness.recordItem("account", account).get("externalId").s()).isEqualTo(Long.toString(first));

        // the delete overtakes v2's retry
        harness.send(HelpdeskHarness.deleted("account.deleted", account, 3));
        esm.pollOnce();
        esm.drain(Duration.ofSeconds(20));

        assertThat(zendesk.organizations())
                .as("the replacement %d must not survive the CRM delete", replacement)
                .isEmpty();
        assertThat(zendesk.calls("DELETE", "/api/v2/organizations/.*"))
                .extracting(c -> c.path(), c -> c.status())
                .containsExactly(
                        tuple("/api/v2/organizations/" + first, 404),
                        tuple("/api/v2/organizations/" + replacement, 204));
        assertThat(harness.recordItem("account", account).get("appliedVersion").n())
                .isEqualTo("3");
        assertThat(harness.recordItem("account", account).get("externalId").s()).isEqualTo(Long.toString(replacement));
        assertThat(harness.dlqMessages()).isEmpty();
    }

    @Test
    void aReplacementUserMadeByAnOvertakenRetryIsDeletedWithTheContact() {
        // the reading of Zendesk's soft delete in which the deleted user's external_id is free at once:
        // the first create_or_update after the delete by hand is the one that makes the replacement
        // (HelpdeskSoftDeletedUserTest covers the other reading)
        zendesk.deletedUsersReleaseTheirExternalIds();
        String contact = SampleEvents.unique("003");
        harness.send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        esm.drain(Duration.ofSeconds(10));
        long first = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        zendesk.deleteUserByHand(first);

        zendesk.failAfterWorkNext("POST", "/api/v2/users/create_or_update", 1, 500);
        harness.send(HelpdeskHarness.contactUpserted(contact, null, 2, "Dana"));
        esm.pollOnce();
        long replacement =
                zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        assertThat(replacement).isNotEqualTo(first);

        harness.send(HelpdeskHarness.deleted("contact.deleted", contact, 3));
        esm.pollOnce();
        esm.drain(Duration.ofSeconds(20));

        assertThat(zendesk.userByExternalId(contact))
                .as("the replacement %d must not survive the CRM delete", replacement)
                .isEmpty();
        assertThat(zendesk.users())
                .hasSize(2)
                .allSatisfy(u -> assertThat(u.get("active").asBoolean()).isFalse());
        assertThat(harness.recordItem("contact", contact).get("appliedVersion").n())
                .isEqualTo("3");
        assertThat(harness.dlqMessages()).isEmpty();
    }

    @Test
    void a404ThatIsNotZendesksRecordNotFoundIsAClassifiedFailureNotADelete() {
        String account = SampleEvents.unique("001");
        harness.send(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        esm.drain(Duration.ofSeconds(10));

        // something in between answers the DELETE with its own 404 page: the organization was never reached
        zendesk.notFoundPageNext("DELETE", "/api/v2/organizations/.*", 1);
        harness.send(HelpdeskHarness.deleted("account.deleted", account, 2));
        esm.drain(Duration.ofSeconds(20));

        assertThat(zendesk.organizationByExternalId(account)).isPresent();
        assertThat(harness.recordItem("account", account).get("appliedVersion").n())
                .as("the delete must not count as applied")
                .isEqualTo("1");
        Map<String, AttributeValue> status = harness.statusItem("evt-" + account + "-v2");
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("endpoint_not_found");
        assertThat(status.get("reason").s())
                .contains("DELETE api/v2/organizations/")
                .contains("404")
                .contains("RecordNotFound");
        assertThat(harness.dlqMessages()).hasSize(1);
    }

    @Test
    void zendesksInvalidEndpointIsNotAnAlreadyDeletedUserEither() {
        String contact = SampleEvents.unique("003");
        harness.send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        esm.drain(Duration.ofSeconds(10));

        zendesk.rejectNext("DELETE", "/api/v2/users/.*", 1, 404, "InvalidEndpoint", "Not found");
        harness.send(HelpdeskHarness.deleted("contact.deleted", contact, 2));
        esm.drain(Duration.ofSeconds(20));

        assertThat(zendesk.userByExternalId(contact)).isPresent();
        assertThat(harness.recordItem("contact", contact).get("appliedVersion").n())
                .as("the delete must not count as applied")
                .isEqualTo("1");
        assertThat(harness.statusItem("evt-" + contact + "-v2")
                        .get("errorClass")
                        .s())
                .isEqualTo("endpoint_not_found");
        assertThat(harness.dlqMessages()).hasSize(1);
    }
}
