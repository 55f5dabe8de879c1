package dev.crmsync.infra;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.IntegrationId;
import java.util.List;

/**
 * The integrations the stack deploys. Adding one is one entry here (plus its function module and its
 * name and detail-types in the contract's {@link IntegrationId});
 * the stack builds an {@link IntegrationPipeline} for each, and the template tests check each.
 */
public final class Catalog {

    public static final List<Integration> INTEGRATIONS = List.of(
            Integration.builder(IntegrationId.BILLING)
                    .handler("dev.crmsync.billing.BillingSyncHandler")
                    .functionJar("functions/billing/target/billing.jar")
                    .vendor("Stripe")
                    .build(),
            // Mailchimp allows 10 simultaneous connections per account: 2 invocations × 5 calls.
            Integration.builder(IntegrationId.MARKETING)
                    .handler("dev.crmsync.marketing.MarketingSyncHandler")
                    .functionJar("functions/marketing/target/marketing.jar")
                    .vendor("Mailchimp")
                    .maxConcurrency(2)
                    .vendorCallsPerInvocation(5)
                    .vendorConnectionLimit(10)
                    .option(EnvVar.CRM_SYNC_OPTION_LIST_ID, ConnectorOption.fromContext(ContextKey.MARKETING_LIST_ID))
                    .build(),
            // The Zendesk account (its subdomain) is the deployment's.
            Integration.builder(IntegrationId.HELPDESK)
                    .handler("dev.crmsync.helpdesk.HelpdeskSyncHandler")
                    .functionJar("functions/helpdesk/target/helpdesk.jar")
                    .vendor("Zendesk")
                    .option(
                            EnvVar.CRM_SYNC_OPTION_SUBDOMAIN,
                            ConnectorOption.fromContext(ContextKey.HELPDESK_SUBDOMAIN))
                    .build(),
            // The channel (an ID, C…) and the link back to the CRM are the deployment's, never the event's.
            Integration.builder(IntegrationId.NOTIFICATIONS)
                    .handler("dev.crmsync.notifications.NotificationsSyncHandler")
                    .functionJar("functions/notifications/target/notifications.jar")
                    .vendor("Slack")
                    .option(
                            EnvVar.CRM_SYNC_OPTION_CHANNEL,
                            ConnectorOption.fromContext(ContextKey.NOTIFICATIONS_CHANNEL))
                    .option(
                            EnvVar.CRM_SYNC_OPTION_RECORD_URL_TEMPLATE,
                            ConnectorOption.fromContext(ContextKey.CRM_RECORD_URL_TEMPLATE))
                    .build());

    private Catalog() {}
}
