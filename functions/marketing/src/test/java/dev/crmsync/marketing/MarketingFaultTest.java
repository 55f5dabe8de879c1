package dev.crmsync.marketing;

import static dev.crmsync.marketing.MarketingHarness.LIST_ID;
import static dev.crmsync.marketing.MarketingHarness.MEMBER_PATH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Failure handling on real local servers: Mailchimp's 5xx and 429 (no Retry-After) are retried with
 * the pipeline's own growing backoff; a contact Mailchimp refuses reaches the DLQ within seconds with
 * a status record; a redriven message then applies once.
 */
class MarketingFaultTest {
    private final MailchimpSandbox mailchimp = MailchimpSandbox.shared();

    @RegisterExtension
    final LocalDeployment<MarketingHarness> local =
            LocalDeployment.of(mailchimp, () -> new MarketingHarness(mailchimp, 4, 30));

    @Test
    void rateLimitWithoutRetryAfterBacksOffOnItsOwn() {
        String contact = SampleEvents.unique("003");
        mailchimp.rateLimitNext("PUT", MEMBER_PATH, 2, 30);
        local.harness().send(MarketingHarness.upserted(contact, 1, "busy@b.example", "Busy"));

        local.esm().pollOnce();
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v1")
                        .get("errorClass")
                        .s())
                .isEqualTo("rate_limited");
        local.esm().drain(Duration.ofSeconds(20));

        // the sandbox asked for 30 s but, as Mailchimp, sent no Retry-After: the pipeline's backoff decides
        assertThat(local.harness().visibilityTimeouts).containsExactly(1, 2);
        assertThat(mailchimp.calls("PUT", MEMBER_PATH))
                .extracting(RecordedCall::status)
                .containsExactly(429, 429, 200);
        assertThat(mailchimp.member(LIST_ID, "busy@b.example")).isPresent();
    }

    @Test
    void mailchimpsSignupThrottleIsRetriedHalfAnHourLaterNotDeadLettered() {
        String contact = SampleEvents.unique("003");
        mailchimp.signupThrottleNext(1);
        local.harness().send(MarketingHarness.upserted(contact, 1, "keen@b.example", "Keen"));

        local.esm().pollOnce();
        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + contact + "-v1");
        assertThat(status.get("outcome").s()).isEqualTo("RETRYING");
        assertThat(status.get("errorClass").s()).isEqualTo("rate_limited");
        assertThat(status.get("reason").s()).contains("signup throttle").doesNotContain("keen@b.example");
        assertThat(local.harness().visibilityTimeouts)
                .singleElement()
                .satisfies(seconds -> assertThat(seconds).isGreaterThanOrEqualTo(1800));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aMemberInComplianceStateReachesTheDlqWithinSecondsWithAStatusRecord() {
        String contact = SampleEvents.unique("003");
        mailchimp.inComplianceState("bounced@b.example");
        local.harness().send(MarketingHarness.upserted(contact, 1, "bounced@b.example", "Bounced"));

        Map<String, AttributeValue> status = local.drainToTheDlq("evt-" + contact + "-v1", "member_refused", 1);
        assertThat(status.get("reason").s())
                .contains("400")
                .contains("Member In Compliance State")
                .doesNotContain("bounced@b.example");
        assertThat(mailchimp.calls("PUT", MEMBER_PATH)).hasSize(1);
        assertThat(local.harness().contactItem(contact)).doesNotContainKey("leaseOwner");
    }

    @Test
    void aForgottenEmailIsPermanentForThatContact() {
        String contact = SampleEvents.unique("003");
        mailchimp.forgotten("erased@b.example");
        local.harness().send(MarketingHarness.upserted(contact, 1, "erased@b.example", "Erased"));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).hasSize(1);
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v1")
                        .get("reason")
                        .s())
                .contains("Forgotten Email Not Subscribed");
        assertThat(mailchimp.members()).isEmpty();
    }

    @Test
    void anInvalidResourceIsPermanentAndNamesTheField() {
        String contact = SampleEvents.unique("003");
        mailchimp.rejectNext(
                "PUT",
                MEMBER_PATH,
                1,
                400,
                "Invalid Resource",
                "merge_fields.PHONE: Please enter a valid phone number.");
        local.harness().send(MarketingHarness.upserted(contact, 1, "phone@b.example", "Phone"));
        local.esm().drain(Duration.ofSeconds(20));

        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + contact + "-v1");
        assertThat(status.get("errorClass").s()).isEqualTo("vendor_rejected");
        assertThat(status.get("reason").s()).contains("Invalid Resource").contains("merge_fields.PHONE");
        assertThat(local.harness().dlqMessages()).hasSize(1);
    }

    /**
     * A contact without marketing consent: its member is {@code transactional}, which Mailchimp does
     * not move to a new address, so an e-mail change writes the new member and archives the old one.
     */
    private static String withoutConsent(String contact, long version, String email) {
        return MarketingHarness.upserted(contact, version, data -> {
            data.put("email", email);
            data.put("firstName", "Ed");
            data.remove("marketingConsent");
        });
    }

    @Test
    void aDeleteOvertakingTheRetryOfAFailedArchiveArchivesEveryMemberTheContactHad() {
        String contact = SampleEvents.unique("003");
        local.harness().send(withoutConsent(contact, 1, "old@b.example"));
        local.esm().drain(Duration.ofSeconds(10));
        // the e-mail change writes the new member, then the archive of the old one fails (retryable)
        mailchimp.failNext(
                "DELETE", "/3\\.0/lists/" + LIST_ID + "/members/" + MarketingHarness.hash("old@b.example"), 1, 500);
        local.harness().send(withoutConsent(contact, 2, "new@b.example"));
        local.esm().pollOnce();
        assertThat(mailchimp.member(LIST_ID, "new@b.example"))
                .get()
                .extracting(MailchimpSandbox.Member::status)
                .isEqualTo("transactional");

        // the contact is deleted in the CRM; its deletion is applied before the change's retry
        local.harness().send(MarketingHarness.deleted(contact, 3));
        assertThat(local.esm().pollOnce().received()).isEqualTo(1);
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(mailchimp.members())
                .extracting(MailchimpSandbox.Member::emailAddress, MailchimpSandbox.Member::status)
                .containsExactlyInAnyOrder(tuple("old@b.example", "archived"), tuple("new@b.example", "archived"));
        assertThat(local.harness()
                        .statusItem("evt-" + contact + "-v2")
                        .get("outcome")
                        .s())
                .isEqualTo("SKIPPED");
        assertThat(local.harness().contactItem(contact)).doesNotContainKey("liveVendorKeys");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aNewerEmailChangeOvertakingTheRetryOfAFailedArchiveLeavesOnlyTheNewestMember() {
        String contact = SampleEvents.unique("003");
        local.harness().send(withoutConsent(contact, 1, "a@b.example"));
        local.esm().drain(Duration.ofSeconds(10));
        mailchimp.failNext(
                "DELETE", "/3\\.0/lists/" + LIST_ID + "/members/" + MarketingHarness.hash("a@b.example"), 1, 500);
        local.harness().send(withoutConsent(contact, 2, "b@b.example"));
        local.esm().pollOnce();

        local.harness().send(withoutConsent(contact, 3, "c@b.example"));
        assertThat(local.esm().pollOnce().received()).isEqualTo(1);
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(mailchimp.members())
                .extracting(MailchimpSandbox.Member::emailAddress, MailchimpSandbox.Member::status)
                .containsExactlyInAnyOrder(
                        tuple("a@b.example", "archived"),
                        tuple("b@b.example", "archived"),
                        tuple("c@b.example", "transactional"));
        Map<String, AttributeValue> item = local.harness().contactItem(contact);
        assertThat(item.get("externalId").s()).isEqualTo(MarketingHarness.hash("c@b.example"));
        assertThat(item.get("liveVendorKeys").ss()).containsExactly(MarketingHarness.hash("c@b.example"));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aFailedArchiveOfTheOldAddressIsRetriedAndTheNewMemberIsNotLost() {
        String contact = SampleEvents.unique("003");
        local.harness().send(withoutConsent(contact, 1, "first@b.example"));
        local.esm().drain(Duration.ofSeconds(10));
        mailchimp.failNext("DELETE", MEMBER_PATH, 1, 500);
        local.harness().send(withoutConsent(contact, 2, "second@b.example"));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(mailchimp.members())
                .extracting(MailchimpSandbox.Member::emailAddress, MailchimpSandbox.Member::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("first@b.example", "archived"),
                        org.assertj.core.groups.Tuple.tuple("second@b.example", "transactional"));
        assertThat(mailchimp.calls("DELETE", MEMBER_PATH))
                .extracting(RecordedCall::status)
                .containsExactly(500, 204);
        assertThat(local.harness().contactItem(contact).get("externalId").s())
                .isEqualTo(MarketingHarness.hash("second@b.example"));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }
}
