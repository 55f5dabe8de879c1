package dev.crmsync.infra;

import java.util.List;

/**
 * The integrations the stack deploys. Adding one is one entry here (plus its function module);
 * the stack builds an {@link IntegrationPipeline} for each, and the template tests check each.
 */
public final class Catalog {

    public static final List<Integration> INTEGRATIONS = List.of(
            Integration.of("billing",
                    "dev.crmsync.billing.BillingSyncHandler",
                    "functions/billing/target/billing.jar",
                    List.of("account.upserted", "deal.closed"))
                    .withVendor("Stripe"),
            // Mailchimp allows 10 simultaneous connections per account: 2 invocations × 5 calls.
            Integration.of("marketing",
                    "dev.crmsync.marketing.MarketingSyncHandler",
                    "functions/marketing/target/marketing.jar",
                    List.of("contact.upserted", "contact.deleted"))
                    .withVendor("Mailchimp")
                    .withMaxConcurrency(2)
                    .withVendorCallsPerInvocation(5)
                    .withVendorConnectionLimit(10)
                    .withOption("LIST_ID", ConnectorOption.fromContext("marketingListId")));

    private Catalog() {
    }
}
