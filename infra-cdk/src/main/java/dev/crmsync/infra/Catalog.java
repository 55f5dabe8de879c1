package dev.crmsync.infra;

import java.util.List;

/**
 * The integrations the stack deploys. Adding one is one entry here (plus its function module);
 * the stack builds an {@link IntegrationPipeline} for each, and the template tests check each.
 */
public final class Catalog {

    public static final List<Integration> INTEGRATIONS = List.of(
            Integration.builder("billing")
                    .handler("dev.crmsync.billing.BillingSyncHandler")
                    .functionJar("functions/billing/target/billing.jar")
                    .detailTypes("account.upserted", "deal.closed")
                    .vendor("Stripe")
                    .build(),
            // Mailchimp allows 10 simultaneous connections per account: 2 invocations × 5 calls.
            Integration.builder("marketing")
                    .handler("dev.crmsync.marketing.MarketingSyncHandler")
                    .functionJar("functions/marketing/target/marketing.jar")
                    .detailTypes("contact.upserted", "contact.deleted")
                    .vendor("Mailchimp")
                    .maxConcurrency(2)
                    .vendorCallsPerInvocation(5)
                    .vendorConnectionLimit(10)
                    .option("LIST_ID", ConnectorOption.fromContext("marketingListId"))
                    .build(),
            // The Zendesk account (its subdomain) is the deployment's.
            Integration.builder("helpdesk")
                    .handler("dev.crmsync.helpdesk.HelpdeskSyncHandler")
                    .functionJar("functions/helpdesk/target/helpdesk.jar")
                    .detailTypes("account.upserted", "account.deleted", "contact.upserted", "contact.deleted")
                    .vendor("Zendesk")
                    .option("SUBDOMAIN", ConnectorOption.fromContext("helpdeskSubdomain"))
                    .build(),
            // The channel (an ID, C…) and the link back to the CRM are the deployment's, never the event's.
            Integration.builder("notifications")
                    .handler("dev.crmsync.notifications.NotificationsSyncHandler")
                    .functionJar("functions/notifications/target/notifications.jar")
                    .detailTypes("deal.closed")
                    .vendor("Slack")
                    .option("CHANNEL", ConnectorOption.fromContext("notificationsChannel"))
                    .option("RECORD_URL_TEMPLATE", ConnectorOption.fromContext("crmRecordUrlTemplate"))
                    .build());

    private Catalog() {
    }
}
