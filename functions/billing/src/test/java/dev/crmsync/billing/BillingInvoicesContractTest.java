package dev.crmsync.billing;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.contract.ActionSyncBinding;
import dev.crmsync.harness.contract.ActionSyncContract;
import dev.crmsync.harness.contract.DealActionsBinding;
import dev.crmsync.harness.contract.VendorCall;
import dev.crmsync.harness.contract.VendorProfile;
import dev.crmsync.harness.contract.VendorProfile.RateLimitAnswer;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Billing's won deals bind the action contract: a won deal is one Stripe invoice of its account's customer. */
class BillingInvoicesContractTest extends ActionSyncContract {

    @Override
    protected ActionSyncBinding binding() {
        return new StripeInvoices(StripeSandbox.shared(), new HashMap<>());
    }

    /** @param accounts each deal's account, made with the deal */
    private record StripeInvoices(StripeSandbox stripe, Map<String, String> accounts) implements DealActionsBinding {
        @Override
        public VendorSandbox<?> vendor() {
            return stripe;
        }

        @Override
        public IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds) {
            return new BillingHarness(stripe, maxReceiveCount, queueVisibilitySeconds);
        }

        @Override
        public String action() {
            return "invoice";
        }

        @Override
        public VendorCall effectCall() {
            return new VendorCall("POST", "/v1/invoices");
        }

        /**
         * The deal's invoices, each counted once with its one line: an invoice without its line, or with two, counts
         * more than one.
         */
        @Override
        public int effectsOf(String deal) {
            long invoices = stripe.invoices().stream()
                    .filter(invoice -> deal.equals(invoice.get("metadata[crm_deal_id]")))
                    .count();
            long lines = stripe.invoiceItems().stream()
                    .filter(item -> deal.equals(item.get("metadata[crm_deal_id]")))
                    .count();
            return (int) (invoices + Math.abs(lines - invoices));
        }

        @Override
        public void refuseNextEffects(int times) {
            stripe.rejectNext(
                    "POST",
                    "/v1/invoices",
                    times,
                    400,
                    "invalid_request_error",
                    "parameter_invalid_empty",
                    "You passed an empty string for 'description'");
        }

        @Override
        public VendorProfile profile() {
            return new VendorProfile(
                    BillingHarness.API_KEY,
                    key -> "{\"apiKey\":\"" + key + "\"}",
                    RateLimitAnswer.WITH_RETRY_AFTER,
                    "vendor_rejected",
                    List.of("400", "parameter_invalid_empty", "You passed an empty string"));
        }
    }
}
