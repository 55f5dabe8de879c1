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
                    .withOption("LIST_ID", ConnectorOption.fromContext("marketingListId")),
            // The Zendesk account (its subdomain) is the deployment's.
            Integration.of("helpdesk",
                    "dev.crmsync.helpdesk.HelpdeskSyncHandler",
                    "functions/helpdesk/target/helpdesk.jar",
                    List.of("account.upserted", "account.deleted", "contact.upserted", "contact.deleted"))
                    .withVendor("Zendesk")
                    .withOption("SUBDOMAIN", ConnectorOption.fromContext("helpdeskSubdomain")),
            // The channel (an ID, C…) and the link back to the CRM are the deployment's, never the event's.
            Integration.of("notifications",
                    "dev.crmsync.notifications.NotificationsSyncHandler",
                    "functions/notifications/target/notifications.jar",
                    List.of("deal.closed"))
                    .withVendor("Slack")
                    .withOption("CHANNEL", ConnectorOption.fromContext("notificationsChannel"))
                    .withOption("RECORD_URL_TEMPLATE", ConnectorOption.fromContext("crmRecordUrlTemplate")));

    private Catalog() {
    }
}
