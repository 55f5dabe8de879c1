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
            Integration.of("helpdesk",
                    "dev.crmsync.helpdesk.HelpdeskSyncHandler",
                    "functions/helpdesk/target/helpdesk.jar",
                    List.of("account.upserted", "account.deleted", "contact.upserted", "contact.deleted"))
                    .withVendor("Zendesk"));

    private Catalog() {
    }
}
