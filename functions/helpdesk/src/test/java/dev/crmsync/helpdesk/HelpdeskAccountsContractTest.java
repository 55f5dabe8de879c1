package dev.crmsync.helpdesk;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.contract.AccountRecordsBinding;
import dev.crmsync.harness.contract.RecordSyncBinding;
import dev.crmsync.harness.contract.RecordSyncContract;
import dev.crmsync.harness.contract.VendorCall;
import dev.crmsync.harness.contract.VendorProfile;
import dev.crmsync.harness.contract.VendorProfile.RateLimitAnswer;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Helpdesk's accounts bind the record contract: an account is a Zendesk organization, its name the label. */
class HelpdeskAccountsContractTest extends RecordSyncContract {
    private static final String ORGANIZATION_WRITE = "/api/v2/organizations/create_or_update";

    @Override
    protected RecordSyncBinding binding() {
        return new ZendeskOrganizations(ZendeskSandbox.shared());
    }

    private record ZendeskOrganizations(ZendeskSandbox zendesk) implements AccountRecordsBinding {
        @Override
        public VendorSandbox<?> vendor() {
            return zendesk;
        }

        @Override
        public IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds) {
            return new HelpdeskHarness(zendesk, maxReceiveCount, queueVisibilitySeconds);
        }

        @Override
        public VendorCall stateWrite() {
            return new VendorCall("POST", ORGANIZATION_WRITE);
        }

        @Override
        public List<String> labelsWritten() {
            return zendesk.calls("POST", ORGANIZATION_WRITE).stream()
                    .filter(RecordedCall::changedState)
                    .sorted(Comparator.comparing(RecordedCall::at))
                    .map(call -> call.body().path("organization").path("name").asText())
                    .toList();
        }

        @Override
        public Optional<String> labelHeld(IntegrationHarness harness, String recordId) {
            return zendesk.organizationByExternalId(recordId)
                    .map(organization -> organization.path("name").asText());
        }

        @Override
        public int objectsHeld() {
            return zendesk.organizations().size();
        }

        @Override
        public void refuseNextWrites(int times) {
            zendesk.rejectNext(
                    "POST",
                    ORGANIZATION_WRITE,
                    times,
                    422,
                    "RecordInvalid",
                    "Name: is too long (maximum is 255 characters)");
        }

        @Override
        public VendorProfile profile() {
            return new VendorProfile(
                    HelpdeskHarness.API_TOKEN,
                    key -> "{\"email\":\"" + HelpdeskHarness.AGENT_EMAIL + "\",\"apiToken\":\"" + key + "\"}",
                    RateLimitAnswer.WITH_RETRY_AFTER,
                    "vendor_rejected",
                    List.of("422", "RecordInvalid", "Name: is too long"));
        }
    }
}
