package dev.crmsync.marketing;

import static dev.crmsync.marketing.MarketingHarness.LIST_ID;
import static dev.crmsync.marketing.MarketingHarness.MEMBER_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox.MergeField;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The audience's own merge fields decide what is sent: the connector reads the list and its
 * merge-field schema once per container, sends only the tags the audience has, in the phone format
 * it asks for, and a wrong list id is a configuration failure. On real local servers.
 */
class MarketingAudienceFieldsTest {
    private static final String LIST_PATH = "/3\\.0/lists/[^/]+";
    private static final String MERGE_FIELDS_PATH = "/3\\.0/lists/[^/]+/merge-fields";
    private final MailchimpSandbox mailchimp = MailchimpSandbox.shared();

    @RegisterExtension
    final LocalDeployment<MarketingHarness> local =
            LocalDeployment.of(mailchimp, () -> new MarketingHarness(mailchimp, 5, 30));

    private static String contact(String id, String email, String firstName, String lastName, String phone) {
        return MarketingHarness.upserted(id, 1, data -> {
            data.put("email", email);
            data.put("marketingConsent", "subscribed");
            if (firstName == null) data.remove("firstName");
            else data.put("firstName", firstName);
            if (lastName == null) data.remove("lastName");
            else data.put("lastName", lastName);
            if (phone == null) data.remove("phone");
            else data.put("phone", phone);
        });
    }

    @Test
    void aWrongListIdIsAPermanentConfigurationFailureNamingItNotApplied() {
        String upserted = SampleEvents.unique("003");
        String deleted = SampleEvents.unique("003");
        local.deliver(contact(deleted, "del@b.example", "Del", "Lee", null));
        // redeployed with a list id this account does not have
        local.harness().environment.put("CRM_SYNC_OPTION_LIST_ID", "0badc0ffee");
        local.rebuildPipeline();
        int before = mailchimp.calls("*", MEMBER_PATH.replace(LIST_ID, "[^/]+")).size();

        local.deliver(contact(upserted, "a@b.example", "Ann", "Lee", null), MarketingHarness.deleted(deleted, 2));

        assertThat(local.harness().dlqMessages()).hasSize(2);
        for (String eventId : List.of("evt-" + upserted + "-v1", "evt-" + deleted + "-v2")) {
            Map<String, AttributeValue> status = local.harness().statusItem(eventId);
            assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
            assertThat(status.get("errorClass").s()).isEqualTo("configuration");
            assertThat(status.get("reason").s()).contains("0badc0ffee").contains("CRM_SYNC_OPTION_LIST_ID");
        }
        // nothing was written under the wrong id, and the delete did not count a 404 as "archived"
        assertThat(mailchimp.calls("*", MEMBER_PATH.replace(LIST_ID, "[^/]+"))).hasSize(before);
        assertThat(mailchimp.member(LIST_ID, "del@b.example"))
                .get()
                .extracting(MailchimpSandbox.Member::status)
                .isEqualTo("subscribed");
    }

    @Test
    void aRenamedOrRemovedTagIsNotSentAndTheContactSyncs() {
        // FNAME renamed to FIRSTNAME, PHONE removed in the audience's settings
        mailchimp.mergeFields(LIST_ID, List.of(MergeField.text("FIRSTNAME"), MergeField.text("LNAME")));
        String id = SampleEvents.unique("003");

        local.deliver(contact(id, "a@b.example", "Ann", "Lee", "+1 415 555 0142"));

        assertThat(mailchimp.calls("PUT", MEMBER_PATH))
                .singleElement()
                .satisfies(put ->
                        assertThat(put.body().get("merge_fields").toString()).isEqualTo("{\"LNAME\":\"Lee\"}"));
        assertThat(mailchimp.member(LIST_ID, "a@b.example"))
                .get()
                .satisfies(m -> assertThat(m.status()).isEqualTo("subscribed"));
        assertThat(local.harness().contactItem(id).get("appliedVersion").n()).isEqualTo("1");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aRequiredFieldTheCrmHasNoValueForStillSyncs() {
        mailchimp.mergeFields(
                LIST_ID,
                List.of(
                        MergeField.text("FNAME"),
                        MergeField.text("LNAME").asRequired(),
                        MergeField.phone("PHONE", "none")));
        String id = SampleEvents.unique("003");

        local.deliver(contact(id, "nolast@b.example", "Ann", null, null));

        assertThat(mailchimp.calls("PUT", MEMBER_PATH))
                .singleElement()
                .satisfies(put -> assertThat(put.query()).isEqualTo("skip_merge_validation=true"));
        assertThat(mailchimp.member(LIST_ID, "nolast@b.example"))
                .get()
                .satisfies(m -> assertThat(m.mergeFields()).containsEntry("FNAME", "Ann"));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aUsFormatPhoneFieldGetsTheUsFormAndANumberItCannotHoldIsLeftOut() {
        mailchimp.mergeFields(
                LIST_ID, List.of(MergeField.text("FNAME"), MergeField.text("LNAME"), MergeField.phone("PHONE", "US")));
        String us = SampleEvents.unique("003");
        String uk = SampleEvents.unique("003");

        local.deliver(
                contact(us, "us@b.example", "Dana", "Lee", "+1 (415) 555-0142"),
                contact(uk, "uk@b.example", "Ian", "Hill", "+44 20 7946 0000"));

        assertThat(mailchimp.member(LIST_ID, "us@b.example"))
                .get()
                .satisfies(m -> assertThat(m.mergeFields()).containsEntry("PHONE", "415-555-0142"));
        assertThat(mailchimp.member(LIST_ID, "uk@b.example")).get().satisfies(m -> {
            assertThat(m.mergeFields()).containsEntry("LNAME", "Hill").doesNotContainKey("PHONE");
        });
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void theListAndItsMergeFieldsAreReadOncePerContainerAndAFailedReadIsRetried() {
        mailchimp.failNext("GET", MERGE_FIELDS_PATH, 1, 503);
        local.deliver(contact(SampleEvents.unique("003"), "one@b.example", "One", "Lee", null));
        local.deliver(
                contact(SampleEvents.unique("003"), "two@b.example", "Two", "Lee", null),
                contact(SampleEvents.unique("003"), "three@b.example", "Three", "Lee", null));

        // the 503 was not cached: the retry read them again, and nothing after it did
        assertThat(mailchimp.calls("GET", MERGE_FIELDS_PATH))
                .extracting(RecordedCall::status)
                .containsExactly(503, 200);
        assertThat(mailchimp.calls("GET", MERGE_FIELDS_PATH))
                .last()
                .satisfies(get -> assertThat(get.query()).contains("count=1000"));
        assertThat(mailchimp.calls("GET", LIST_PATH))
                .extracting(RecordedCall::status)
                .containsExactly(200, 200);
        assertThat(mailchimp.members()).hasSize(3);
        assertThat(local.harness().dlqMessages()).isEmpty();
    }
}
