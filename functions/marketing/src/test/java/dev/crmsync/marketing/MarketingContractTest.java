package dev.crmsync.marketing;

import static dev.crmsync.marketing.MarketingHarness.LIST_ID;
import static dev.crmsync.marketing.MarketingHarness.MEMBER_PATH;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.harness.contract.RecordSyncBinding;
import dev.crmsync.harness.contract.RecordSyncContract;
import dev.crmsync.harness.contract.VendorCall;
import dev.crmsync.harness.contract.VendorProfile;
import dev.crmsync.harness.contract.VendorProfile.RateLimitAnswer;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Marketing binds the record contract: a contact is the audience member of its e-mail, its first name the label. */
class MarketingContractTest extends RecordSyncContract {

    @Override
    protected RecordSyncBinding binding() {
        return new MailchimpMembers(MailchimpSandbox.shared());
    }

    private record MailchimpMembers(MailchimpSandbox mailchimp) implements RecordSyncBinding {
        @Override
        public VendorSandbox<?> vendor() {
            return mailchimp;
        }

        @Override
        public IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds) {
            return new MarketingHarness(mailchimp, maxReceiveCount, queueVisibilitySeconds);
        }

        @Override
        public String object() {
            return "contact";
        }

        @Override
        public String newRecordId() {
            return SampleEvents.unique("003");
        }

        @Override
        public String upserted(String recordId, long version, String label) {
            return MarketingHarness.upserted(
                    recordId, version, recordId.toLowerCase(Locale.ROOT) + "@contract.example", label);
        }

        @Override
        public VendorCall stateWrite() {
            return new VendorCall("PUT", MEMBER_PATH);
        }

        @Override
        public List<String> labelsWritten() {
            return Stream.concat(
                            mailchimp.calls("PUT", MEMBER_PATH).stream(),
                            mailchimp.calls("PATCH", MEMBER_PATH).stream())
                    .filter(RecordedCall::changedState)
                    .sorted(Comparator.comparing(RecordedCall::at))
                    .map(call -> call.body().path("merge_fields").path("FNAME").asText())
                    .toList();
        }

        @Override
        public Optional<String> labelHeld(IntegrationHarness harness, String recordId) {
            Map<String, AttributeValue> item = harness.recordItem(object(), recordId);
            if (item == null || !item.containsKey("externalId")) {
                return Optional.empty();
            }
            String hash = item.get("externalId").s();
            return mailchimp.members().stream()
                    .filter(member -> member.listId().equals(LIST_ID)
                            && member.hash().equals(hash)
                            && !"archived".equals(member.status()))
                    .map(member -> member.mergeFields().get("FNAME"))
                    .findFirst();
        }

        @Override
        public int objectsHeld() {
            return (int) mailchimp.members().stream()
                    .filter(member -> !"archived".equals(member.status()))
                    .count();
        }

        @Override
        public void refuseNextWrites(int times) {
            mailchimp.rejectNext(
                    "PUT",
                    MEMBER_PATH,
                    times,
                    400,
                    "Invalid Resource",
                    "merge_fields.PHONE: Please enter a valid phone number.");
        }

        @Override
        public VendorProfile profile() {
            return new VendorProfile(
                    MarketingHarness.API_KEY,
                    key -> "{\"apiKey\":\"" + key + "\"}",
                    // Mailchimp documents no Retry-After on its 429
                    RateLimitAnswer.WITHOUT_RETRY_AFTER,
                    "vendor_rejected",
                    List.of("400", "Invalid Resource", "merge_fields.PHONE"));
        }
    }
}
