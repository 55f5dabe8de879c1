package dev.crmsync.billing;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.contract.AccountRecordsBinding;
import dev.crmsync.harness.contract.RecordSyncBinding;
import dev.crmsync.harness.contract.RecordSyncContract;
import dev.crmsync.harness.contract.VendorCall;
import dev.crmsync.harness.contract.VendorProfile;
import dev.crmsync.harness.contract.VendorProfile.RateLimitAnswer;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import java.util.List;
import java.util.Optional;

/** Billing's accounts bind the record contract: an account is a Stripe customer, its name the label. */
class BillingAccountsContractTest extends RecordSyncContract {
    private static final String CUSTOMER_WRITE = "/v1/customers(/cus_[A-Za-z0-9]+)?";

    @Override
    protected RecordSyncBinding binding() {
        return new StripeAccounts(StripeSandbox.shared());
    }

    private record StripeAccounts(StripeSandbox stripe) implements AccountRecordsBinding {
        @Override
        public VendorSandbox<?> vendor() {
            return stripe;
        }

        @Override
        public IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds) {
            return new BillingHarness(stripe, maxReceiveCount, queueVisibilitySeconds);
        }

        @Override
        public VendorCall stateWrite() {
            return new VendorCall("POST", CUSTOMER_WRITE);
        }

        @Override
        public List<String> labelsWritten() {
            // the create carries only the CRM id; the update after it carries the account's state
            return stripe.calls("POST", "/v1/customers/cus_[A-Za-z0-9]+").stream()
                    .filter(RecordedCall::changedState)
                    .map(call -> call.params().get("name"))
                    .toList();
        }

        @Override
        public Optional<String> labelHeld(IntegrationHarness harness, String recordId) {
            return stripe.customerByCrmId(recordId).map(customer -> customer.get("name"));
        }

        @Override
        public int objectsHeld() {
            return stripe.customers().size();
        }

        @Override
        public void refuseNextWrites(int times) {
            stripe.rejectNext(
                    "POST",
                    CUSTOMER_WRITE,
                    times,
                    400,
                    "invalid_request_error",
                    "email_invalid",
                    "Invalid email address");
        }

        @Override
        public VendorProfile profile() {
            return new VendorProfile(
                    BillingHarness.API_KEY,
                    key -> "{\"apiKey\":\"" + key + "\"}",
                    RateLimitAnswer.WITH_RETRY_AFTER,
                    "vendor_rejected",
                    List.of("400", "email_invalid", "Invalid email address"));
        }
    }
}
