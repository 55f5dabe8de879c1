package dev.crmsync.marketing;

import static dev.crmsync.marketing.MarketingHarness.LIST_ID;
import static dev.crmsync.marketing.MarketingHarness.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.ProcessCrash;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A contact's e-mail changes in the CRM: Mailchimp's member moves to the new address (PATCH) and
 * keeps its status, so no unsubscribe is undone; where Mailchimp will not move it, the member of the
 * new address gets no more consent than the old one had. On real local servers.
 */
class MarketingEmailChangeTest {
    private final MailchimpSandbox mailchimp = MailchimpSandbox.shared();

    @RegisterExtension
    final LocalDeployment<MarketingHarness> local =
            LocalDeployment.of(mailchimp, () -> new MarketingHarness(mailchimp, 5, 3));

    private void deliver(String body) {
        local.harness().send(body);
        local.esm().drain(Duration.ofSeconds(20));
    }

    private static String subscribed(String contact, long version, String email) {
        return MarketingHarness.upserted(contact, version, data -> {
            data.put("email", email);
            data.put("firstName", "Ed");
            data.put("marketingConsent", "subscribed");
        });
    }

    private List<MailchimpSandbox.Member> live() {
        return mailchimp.members().stream()
                .filter(m -> !m.status().equals("archived"))
                .toList();
    }

    @Test
    void aSubscribedMemberMovesToTheNewAddressAsOneMember() {
        String contact = SampleEvents.unique("003");
        deliver(subscribed(contact, 1, "old@b.example"));
        deliver(MarketingHarness.upserted(contact, 2, data -> {
            data.put("email", "new@b.example");
            data.put("firstName", "Edward");
            data.put("marketingConsent", "subscribed");
        }));

        assertThat(local.harness().memberCalls())
                .extracting(RecordedCall::method, RecordedCall::path, RecordedCall::status)
                .containsExactly(tuple("PUT", path("old@b.example"), 200), tuple("PATCH", path("old@b.example"), 200));
        assertThat(mailchimp.calls("PATCH", MarketingHarness.MEMBER_PATH))
                .singleElement()
                .satisfies(patch -> {
                    assertThat(patch.body().get("email_address").asText()).isEqualTo("new@b.example");
                    assertThat(patch.body().has("status")).isFalse();
                });
        assertThat(mailchimp.members()).singleElement().satisfies(m -> {
            assertThat(m.emailAddress()).isEqualTo("new@b.example");
            assertThat(m.status()).isEqualTo("subscribed");
            assertThat(m.mergeFields()).containsEntry("FNAME", "Edward");
        });
        assertThat(local.harness().contactItem(contact).get("externalId").s())
                .isEqualTo(MarketingHarness.hash("new@b.example"));
        assertThat(local.harness().contactItem(contact).get("liveVendorKeys").ss())
                .containsExactly(MarketingHarness.hash("new@b.example"));
    }

    @Test
    void aPersonWhoUnsubscribedInMailchimpStaysUnsubscribedAtTheNewAddress() {
        String contact = SampleEvents.unique("003");
        deliver(subscribed(contact, 1, "old@b.example"));
        // the person used the unsubscribe link of a campaign; the CRM still says subscribed
        mailchimp.statusByHand(LIST_ID, "old@b.example", "unsubscribed");

        deliver(subscribed(contact, 2, "new@b.example"));

        assertThat(mailchimp.member(LIST_ID, "new@b.example"))
                .get()
                .extracting(MailchimpSandbox.Member::status)
                .isEqualTo("unsubscribed");
        assertThat(mailchimp.member(LIST_ID, "old@b.example"))
                .get()
                .extracting(MailchimpSandbox.Member::status)
                .isEqualTo("archived");
        assertThat(live())
                .singleElement()
                .extracting(MailchimpSandbox.Member::emailAddress)
                .isEqualTo("new@b.example");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void whenTheOldMemberIsGoneTheNewAddressIsAddedWithTheCrmsConsent() {
        String contact = SampleEvents.unique("003");
        deliver(subscribed(contact, 1, "old@b.example"));
        mailchimp.deletedPermanentlyByHand(LIST_ID, "old@b.example");

        deliver(subscribed(contact, 2, "new@b.example"));

        assertThat(mailchimp.calls("PATCH", MarketingHarness.MEMBER_PATH))
                .extracting(RecordedCall::status)
                .containsExactly(404);
        assertThat(mailchimp.members()).singleElement().satisfies(m -> {
            assertThat(m.emailAddress()).isEqualTo("new@b.example");
            assertThat(m.status()).isEqualTo("subscribed");
        });
        assertThat(local.harness().contactItem(contact).get("appliedVersion").n())
                .isEqualTo("2");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aNewAddressAlreadyInTheAudienceKeepsItsStatusAndTheOldMemberIsArchived() {
        String contact = SampleEvents.unique("003");
        deliver(subscribed(contact, 1, "old@b.example"));
        mailchimp.memberByHand(LIST_ID, "new@b.example", "unsubscribed", Map.of("FNAME", "By hand"));

        deliver(subscribed(contact, 2, "new@b.example"));

        assertThat(mailchimp.members())
                .extracting(MailchimpSandbox.Member::emailAddress, MailchimpSandbox.Member::status)
                .containsExactlyInAnyOrder(tuple("old@b.example", "archived"), tuple("new@b.example", "unsubscribed"));
        assertThat(mailchimp.member(LIST_ID, "new@b.example"))
                .get()
                .satisfies(m -> assertThat(m.mergeFields()).containsEntry("FNAME", "Ed"));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aRetryAfterAMoveThatWasNeverCommittedKeepsTheMovedMembersStatus() throws InterruptedException {
        String contact = SampleEvents.unique("003");
        deliver(MarketingHarness.upserted(contact, 1, data -> {
            data.put("email", "old@b.example");
            data.put("firstName", "Ed");
            data.put("marketingConsent", "pending");
        }));
        // the person confirmed the opt-in e-mail: subscribed in Mailchimp, the CRM still says pending
        mailchimp.statusByHand(LIST_ID, "old@b.example", "subscribed");

        ProcessCrash crash = new ProcessCrash();
        local.harness().send(MarketingHarness.upserted(contact, 2, data -> {
            data.put("email", "new@b.example");
            data.put("firstName", "Ed");
            data.put("marketingConsent", "pending");
        }));
        local.harness()
                .eventSourceMapping(local.harness().pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3))
                .pollOnce();
        assertThat(crash.happened()).isTrue();
        Instant leaseEnds = Instant.ofEpochMilli(Long.parseLong(
                local.harness().contactItem(contact).get("leaseUntil").n()));
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), leaseEnds).toMillis() + 200));

        // the crashed attempt's message comes back: the old hash is gone (moved), so the new address is PUT
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(mailchimp.members()).singleElement().satisfies(m -> {
            assertThat(m.emailAddress()).isEqualTo("new@b.example");
            assertThat(m.status()).isEqualTo("subscribed");
        });
        assertThat(mailchimp.calls("PATCH", MarketingHarness.MEMBER_PATH))
                .extracting(RecordedCall::status)
                .containsExactly(200, 404);
        assertThat(local.harness().contactItem(contact).get("appliedVersion").n())
                .isEqualTo("2");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }
}
