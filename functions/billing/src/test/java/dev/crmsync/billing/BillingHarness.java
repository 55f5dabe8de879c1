package dev.crmsync.billing;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalAws;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One billing deployment on local servers, wired to a Stripe sandbox that accepts its key. */
final class BillingHarness extends IntegrationHarness {
    static final String API_KEY = "sk_test_51CrmSyncLocalKey0001";

    final StripeSandbox stripe;

    BillingHarness(StripeSandbox stripe, int maxReceiveCount, int queueVisibilitySeconds) {
        this(LocalAws.get(), stripe, maxReceiveCount, queueVisibilitySeconds);
    }

    BillingHarness(AwsEnvironment aws, StripeSandbox stripe, int maxReceiveCount, int queueVisibilitySeconds) {
        super(aws, "billing", StripeConnector::new, stripe, API_KEY, maxReceiveCount, queueVisibilitySeconds);
        this.stripe = stripe;
    }

    Map<String, AttributeValue> accountItem(String accountId) {
        return recordItem("account", accountId);
    }

    Map<String, AttributeValue> invoiceItem(String dealId) {
        return actionItem("invoice", dealId);
    }
}
