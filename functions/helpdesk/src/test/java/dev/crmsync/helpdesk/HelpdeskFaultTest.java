package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Zendesk's failure answers through the real pipeline: a 429 or 503 is retried no sooner than its
 * {@code Retry-After} (also when the body is plain text), the per-user write limit is ridden out,
 * a 422 {@code RecordInvalid} reaches the DLQ within seconds with a status record naming the field,
 * and a message redriven after the fix is applied once.
 */
class HelpdeskFaultTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();

    @RegisterExtension
    final LocalDeployment<HelpdeskHarness> local =
            LocalDeployment.of(zendesk, () -> new HelpdeskHarness(zendesk, 4, 30));

    @Test
    void serviceUnavailableIsRetriedNoSoonerThanItsRetryAfter() {
        String contact = SampleEvents.unique("003");
        zendesk.unavailableNext("POST", "/api/v2/users/create_or_update", 2, 2);
        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));

        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().visibilityTimeouts).containsExactly(2, 2);
        assertThat(zendesk.calls("POST", "/api/v2/users/create_or_update"))
                .extracting(c -> c.status())
                .containsExactly(503, 503, 201);
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v1")
                        .get("outcome")
                        .s())
                .isEqualTo("APPLIED");
        assertThat(zendesk.users()).hasSize(1);
    }

    @Test
    void aUserWrittenOverItsLimitWaitsAsZendeskAsksAndEndsAtTheLatestVersion() {
        String contact = SampleEvents.unique("003");
        zendesk.userWriteLimit(1, Duration.ofSeconds(3));
        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 1, "First"));
        local.esm().drain(Duration.ofSeconds(10));
        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 2, "Second"));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(zendesk.calls("POST", "/api/v2/users/create_or_update"))
                .extracting(c -> c.status())
                .contains(429);
        assertThat(local.harness().visibilityTimeouts)
                .allSatisfy(seconds -> assertThat(seconds).isBetween(1, 3));
        assertThat(zendesk.userByExternalId(contact).orElseThrow().get("name").asText())
                .isEqualTo("Second Lee");
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("2");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aTimeoutAfterZendeskCreatedTheOrganizationIsRetriedWithoutASecondOne() {
        String account = SampleEvents.unique("001");
        // Zendesk creates the organization but answers after the client gave up (2 s)
        zendesk.delayNext("POST", "/api/v2/organizations/create_or_update", 1, Duration.ofSeconds(3));
        local.harness().send(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));

        local.esm().pollOnce();
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("errorClass")
                        .s())
                .isEqualTo("timeout");
        local.esm().drain(Duration.ofSeconds(20));

        // the retry matched the first attempt's organization by external_id: updated, not created again
        assertThat(zendesk.calls("POST", "/api/v2/organizations/create_or_update"))
                .extracting(c -> c.status())
                .containsExactly(201, 200);
        assertThat(zendesk.organizations()).hasSize(1);
        assertThat(local.harness()
                        .recordItem("account", account)
                        .get("externalId")
                        .s())
                .isEqualTo(zendesk.organizationByExternalId(account)
                        .orElseThrow()
                        .get("id")
                        .asText());
    }

    @Test
    void aServerErrorAfterZendeskCreatedTheUserIsRetriedWithoutASecondOne() {
        String contact = SampleEvents.unique("003");
        zendesk.failAfterWorkNext("POST", "/api/v2/users/create_or_update", 1, 500);
        local.harness().send(HelpdeskHarness.contactUpserted(contact, null, 1, "Dana"));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(zendesk.calls("POST", "/api/v2/users/create_or_update"))
                .extracting(c -> c.status())
                .containsExactly(500, 200);
        assertThat(zendesk.users()).hasSize(1);
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v1")
                        .get("outcome")
                        .s())
                .isEqualTo("APPLIED");
    }

    @Test
    void recordInvalidReachesTheDlqWithinSecondsWithAStatusRecordNamingTheField() {
        String contact = SampleEvents.unique("003");
        // valid for the event contract (local@domain), refused by Zendesk (no top-level domain)
        local.harness().send(SampleEvents.event("contact.upserted", "evt-" + contact + "-v1", contact, 1, data -> {
            data.remove("accountId");
            data.put("email", "dana@intranet");
        }));

        Map<String, AttributeValue> status = local.drainToTheDlq("evt-" + contact + "-v1", "vendor_rejected", 1);
        assertThat(status.get("reason").s())
                .contains("422 RecordInvalid")
                .contains("email: Email: [redacted] is not properly formatted")
                .doesNotContain("dana@intranet");
        // the later receives only count toward the DLQ: Zendesk is not asked again
        assertThat(zendesk.calls("POST", "/api/v2/users/create_or_update")).hasSize(1);
        assertThat(local.harness().recordItem("contact", contact)).doesNotContainKey("leaseOwner");
    }

    @Test
    void dlqMessageRedrivenAfterTheFixIsAppliedOnce() throws InterruptedException {
        String account = SampleEvents.unique("001");
        String name = "Acme " + account;
        // an organization of that name belongs to another external id (linked by hand): names are unique there
        long handMade = zendesk.addOrganizationByHand(name);
        zendesk.setOrganizationExternalIdByHand(handMade, "linked-by-hand");
        local.harness().send(HelpdeskHarness.accountUpserted(account, 1, name));
        local.esm().drain(Duration.ofSeconds(20));
        assertThat(local.harness().dlqMessages()).hasSize(1);
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("errorClass")
                        .s())
                .isEqualTo("name_conflict");
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("reason")
                        .s())
                .contains("linked-by-hand");

        // on-call renames the hand-made organization, then "Start DLQ redrive" → "Redrive to source queue(s)"
        zendesk.renameOrganization(handMade, name + " (old)");
        local.harness().redriveTheDlq();
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(zendesk.organizationByExternalId(account)
                        .orElseThrow()
                        .get("name")
                        .asText())
                .isEqualTo(name);
        assertThat(zendesk.organizations()).hasSize(2);
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("outcome")
                        .s())
                .isEqualTo("APPLIED");
        assertThat(local.harness()
                        .recordItem("account", account)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");

        // redriven again later: a duplicate, Zendesk is not asked
        int calls = zendesk.calls().size();
        local.harness().send(HelpdeskHarness.accountUpserted(account, 1, name));
        local.esm().drain(Duration.ofSeconds(10));
        assertThat(zendesk.calls()).hasSize(calls);
    }

    @Test
    void aTokenOfAnAgentWithoutTheManageRoleIsForbiddenAndSaysWhichRoleItNeeds() {
        String account = SampleEvents.unique("001");
        zendesk.tokensOfAgentsWithoutManageRole(HelpdeskHarness.API_TOKEN);
        local.harness().send(HelpdeskHarness.accountUpserted(account, 1, "Acme " + account));
        local.esm().drain(Duration.ofSeconds(20));

        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + account + "-v1");
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("forbidden");
        assertThat(status.get("reason").s())
                .contains("403")
                .contains("admin")
                .contains("custom role")
                .contains("manage end users and organizations")
                .doesNotContain(HelpdeskHarness.API_TOKEN);
        // not retried: no waiting gives the token another role
        assertThat(zendesk.calls("POST", "/api/v2/organizations/create_or_update"))
                .hasSize(1);
        assertThat(local.harness().dlqMessages()).hasSize(1);
    }
}
