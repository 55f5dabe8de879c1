package dev.crmsync.marketing;

import static dev.crmsync.marketing.MarketingHarness.LIST_ID;
import static dev.crmsync.marketing.MarketingHarness.MEMBER_PATH;
import static dev.crmsync.marketing.MarketingHarness.hash;
import static dev.crmsync.marketing.MarketingHarness.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The marketing pipeline end to end on real local servers — ElasticMQ (queue + DLQ), dynalite, a
 * Secrets Manager endpoint and the Mailchimp sandbox — asserting what Mailchimp received and holds,
 * and what the state table holds.
 */
class MarketingPipelineTest {
    private final MailchimpSandbox mailchimp = MailchimpSandbox.shared();

    @RegisterExtension
    final LocalDeployment<MarketingHarness> local =
            LocalDeployment.of(mailchimp, () -> new MarketingHarness(mailchimp, 5, 30));

    @Test
    void upsertPutsTheMemberOfTheEmailsHashWithItsMergeFields() {
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 1, data -> {
            data.put("email", "Dana.Lee@Acme.example");
            data.put("firstName", "Dana");
            data.put("lastName", "Lee");
            data.put("phone", "+1 415 555 0142");
            data.put("marketingConsent", "subscribed");
        }));

        assertThat(local.harness().memberCalls()).singleElement().satisfies(put -> {
            assertThat(put.method()).isEqualTo("PUT");
            assertThat(put.path()).isEqualTo(path("dana.lee@acme.example"));
            assertThat(put.body().get("email_address").asText()).isEqualTo("Dana.Lee@Acme.example");
            assertThat(put.body().get("status_if_new").asText()).isEqualTo("subscribed");
            assertThat(put.body().has("status")).isFalse();
            assertThat(put.body().get("merge_fields").toString())
                    .isEqualTo("{\"FNAME\":\"Dana\",\"LNAME\":\"Lee\",\"PHONE\":\"+1 415 555 0142\"}");
            assertThat(put.status()).isEqualTo(200);
        });
        assertThat(mailchimp.member(LIST_ID, "dana.lee@acme.example")).get().satisfies(m -> {
            assertThat(m.status()).isEqualTo("subscribed");
            assertThat(m.mergeFields()).containsEntry("FNAME", "Dana");
        });
        Map<String, AttributeValue> item = local.harness().contactItem(contact);
        assertThat(item.get("externalId").s()).isEqualTo(hash("dana.lee@acme.example"));
        assertThat(item.get("appliedVersion").n()).isEqualTo("1");
        assertThat(item).doesNotContainKeys("leaseOwner", "leaseUntil");
    }

    @Test
    void aFieldTheContactNoLongerHasIsSentEmptyAndAMissingConsentAddsNoSubscriber() {
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 1, data -> {
            data.put("email", "a@b.example");
            data.put("firstName", "Ann");
            data.put("phone", "+44 20 7946 0000");
            data.remove("marketingConsent");
        }));
        local.deliver(MarketingHarness.upserted(contact, 2, data -> {
            data.put("email", "a@b.example");
            data.put("firstName", "Ann");
            data.remove("phone");
            data.remove("marketingConsent");
        }));

        assertThat(mailchimp.member(LIST_ID, "a@b.example")).get().satisfies(m -> {
            assertThat(m.status()).isEqualTo("transactional");
            assertThat(m.mergeFields()).containsEntry("PHONE", "").containsEntry("FNAME", "Ann");
        });
    }

    @Test
    void deleteArchivesTheMemberAndADeleteOfAMemberAlreadyGoneIsApplied() {
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 1, "del@b.example", "Del"));
        local.deliver(MarketingHarness.deleted(contact, 2));

        assertThat(mailchimp.member(LIST_ID, "del@b.example"))
                .get()
                .extracting(MailchimpSandbox.Member::status)
                .isEqualTo("archived");
        assertThat(mailchimp.calls("DELETE", MEMBER_PATH))
                .extracting(RecordedCall::path, RecordedCall::status)
                .containsExactly(tuple(path("del@b.example"), 204));
        assertThat(local.harness().contactItem(contact).get("appliedVersion").n())
                .isEqualTo("2");

        // archived by a person in Mailchimp before the CRM deleted the contact: 404 is "already gone"
        String other = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(other, 1, "gone@b.example", "Gone"));
        mailchimp.rejectNext(
                "DELETE", MEMBER_PATH, 1, 404, "Resource Not Found", "The requested resource could not be found.");
        local.deliver(MarketingHarness.deleted(other, 2));
        assertThat(mailchimp.calls("DELETE", MEMBER_PATH))
                .extracting(RecordedCall::status)
                .containsExactly(204, 404);
        assertThat(local.harness().contactItem(other).get("appliedVersion").n()).isEqualTo("2");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aContactDeletedThenRestoredIsBackInTheAudienceAwaitingConfirmation() {
        // Mailchimp leaves an archived member archived on a PUT with status_if_new only: the second
        // PUT with an explicit status brings it back, as pending (an earlier unsubscribe is not undone)
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 1, "back@b.example", "Back"));
        local.deliver(MarketingHarness.deleted(contact, 2));
        local.deliver(MarketingHarness.upserted(contact, 3, "back@b.example", "Back again"));

        assertThat(mailchimp.member(LIST_ID, "back@b.example")).get().satisfies(m -> {
            assertThat(m.status()).isEqualTo("pending");
            assertThat(m.mergeFields()).containsEntry("FNAME", "Back again");
        });
        assertThat(mailchimp.calls("PUT", MEMBER_PATH))
                .last()
                .satisfies(c -> assertThat(c.body().path("status").asText()).isEqualTo("pending"));
    }

    @Test
    void anEmailChangedBackMovesTheOneMemberBack() {
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 1, "a@b.example", "Ann"));
        local.deliver(MarketingHarness.upserted(contact, 2, "b@b.example", "Ann"));
        local.deliver(MarketingHarness.upserted(contact, 3, "a@b.example", "Ann"));

        assertThat(local.harness().memberCalls())
                .extracting(RecordedCall::method, RecordedCall::path)
                .containsExactly(
                        tuple("PUT", path("a@b.example")),
                        tuple("PATCH", path("a@b.example")),
                        tuple("PATCH", path("b@b.example")));
        assertThat(mailchimp.members())
                .extracting(MailchimpSandbox.Member::emailAddress, MailchimpSandbox.Member::status)
                .containsExactly(tuple("a@b.example", "subscribed"));
    }

    @Test
    void aDeleteOlderThanTheAppliedStateIsSkippedAndTheMemberStays() {
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 5, "v@b.example", "at v5"));
        local.deliver(MarketingHarness.deleted(contact, 4));

        assertThat(mailchimp.calls("DELETE", MEMBER_PATH)).isEmpty();
        assertThat(mailchimp.member(LIST_ID, "v@b.example"))
                .get()
                .extracting(MailchimpSandbox.Member::status)
                .isEqualTo("subscribed");
        assertThat(local.harness().contactItem(contact).get("appliedVersion").n())
                .isEqualTo("5");
    }

    @Test
    void anEmailChangeMovesTheMemberAndALaterDeleteArchivesItAtItsNewAddress() {
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 1, "old@b.example", "Ed"));
        local.deliver(MarketingHarness.upserted(contact, 2, "new@b.example", "Ed"));

        assertThat(local.harness().memberCalls())
                .extracting(RecordedCall::method, RecordedCall::path, RecordedCall::status)
                .containsExactly(tuple("PUT", path("old@b.example"), 200), tuple("PATCH", path("old@b.example"), 200));
        assertThat(mailchimp.members())
                .extracting(MailchimpSandbox.Member::emailAddress, MailchimpSandbox.Member::status)
                .containsExactly(tuple("new@b.example", "subscribed"));
        assertThat(local.harness().contactItem(contact).get("externalId").s()).isEqualTo(hash("new@b.example"));

        // a later delete archives the member of the address the contact has now
        local.deliver(MarketingHarness.deleted(contact, 3));
        assertThat(mailchimp.member(LIST_ID, "new@b.example"))
                .get()
                .extracting(MailchimpSandbox.Member::status)
                .isEqualTo("archived");
    }

    @Test
    void twoContactsWithOneEmailAreOneMemberHoldingTheLastAppliedChange() {
        String first = SampleEvents.unique("003");
        String second = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(first, 1, "Shared@B.example", "First"));
        local.deliver(MarketingHarness.upserted(second, 1, "shared@b.example", "Second"));

        assertThat(mailchimp.members()).singleElement().satisfies(m -> {
            assertThat(m.hash()).isEqualTo(hash("shared@b.example"));
            assertThat(m.mergeFields()).containsEntry("FNAME", "Second");
        });
        assertThat(local.harness().contactItem(first).get("externalId").s())
                .isEqualTo(local.harness().contactItem(second).get("externalId").s());

        local.deliver(MarketingHarness.upserted(first, 2, "shared@b.example", "First again"));
        assertThat(mailchimp.members())
                .singleElement()
                .satisfies(m -> assertThat(m.mergeFields()).containsEntry("FNAME", "First again"));
    }

    @Test
    void aContactWithoutAnEmailIsSkippedWithAStatedReasonNotFailed() {
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 1, data -> data.remove("email")));

        assertThat(mailchimp.calls()).isEmpty();
        assertThat(local.harness().dlqMessages()).isEmpty();
        // the version is handled: an older state of the contact arriving later is stale
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("1");
    }

    @Test
    void anEmailChangeIsStillTwoWritesTheOldHashComingWithTheClaim() {
        String contact = SampleEvents.unique("003");
        local.deliver(MarketingHarness.upserted(contact, 1, "cost@b.example", "Cost"));

        local.harness().dynamoOperations.clear();
        local.deliver(MarketingHarness.upserted(contact, 2, "cost2@b.example", "Cost"));
        assertThat(local.harness().dynamoOperations).containsExactly("UpdateItem", "UpdateItem");
        assertThat(mailchimp.calls("PUT", MEMBER_PATH)).hasSize(1);
        assertThat(mailchimp.calls("PATCH", MEMBER_PATH)).hasSize(1);
    }
}
