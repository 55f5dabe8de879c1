package dev.crmsync.marketing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import dev.crmsync.testkit.LocalAws;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One marketing deployment on local servers, wired to a Mailchimp sandbox with its audience and key. */
final class MarketingHarness extends IntegrationHarness {
    static final String API_KEY = "5f2d8c1a9b7e4f3a2c1d0e9f8a7b6c5d-us21";
    static final String LIST_ID = "9e1a7c3b5d";
    static final String MEMBER_PATH = "/3\\.0/lists/" + LIST_ID + "/members/[0-9a-f]{32}";

    final MailchimpSandbox mailchimp;

    MarketingHarness(MailchimpSandbox mailchimp, int maxReceiveCount, int queueVisibilitySeconds) {
        super(
                LocalAws.get(),
                "marketing",
                MailchimpConnector::new,
                mailchimp,
                API_KEY,
                maxReceiveCount,
                queueVisibilitySeconds);
        this.mailchimp = mailchimp;
        mailchimp.createList(LIST_ID);
        environment.put("CRM_SYNC_OPTION_LIST_ID", LIST_ID);
    }

    /** contact.upserted from the contract's sample: event id {@code evt-<contact>-v<version>}. */
    static String upserted(String contactId, long version, String email, String firstName) {
        return upserted(contactId, version, data -> {
            data.put("email", email);
            data.put("firstName", firstName);
        });
    }

    static String upserted(String contactId, long version, Consumer<ObjectNode> editData) {
        return SampleEvents.event(
                "contact.upserted", "evt-" + contactId + "-v" + version, contactId, version, editData);
    }

    static String deleted(String contactId, long version) {
        return SampleEvents.event(
                "contact.deleted", "evt-" + contactId + "-v" + version, contactId, version, data -> {});
    }

    static String hash(String email) {
        return MailchimpSandbox.subscriberHash(email);
    }

    static String path(String email) {
        return "/3.0/lists/" + LIST_ID + "/members/" + hash(email);
    }

    /** Every call on a member (not the audience reads of a container's first apply), in arrival order. */
    List<RecordedCall> memberCalls() {
        return mailchimp.calls("*", MEMBER_PATH);
    }

    /** The member PUTs Mailchimp answered 200, in arrival order. */
    List<RecordedCall> acceptedPuts() {
        return mailchimp.calls("PUT", MEMBER_PATH).stream()
                .filter(c -> c.status() == 200)
                .toList();
    }

    Map<String, AttributeValue> contactItem(String contactId) {
        return recordItem("contact", contactId);
    }
}
