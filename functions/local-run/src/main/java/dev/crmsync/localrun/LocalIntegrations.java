package dev.crmsync.localrun;

import dev.crmsync.billing.StripeConnector;
import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.helpdesk.ZendeskConnector;
import dev.crmsync.marketing.MailchimpConnector;
import dev.crmsync.notifications.SlackConnector;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import dev.crmsync.sandbox.slack.SlackSandbox;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.util.List;
import java.util.Map;

/**
 * Every integration of the catalog as it runs on this machine ({@link LocalIntegration}): each factory
 * starts the integration's own vendor sandbox with local credentials and the state its connector needs.
 * The credentials are local values that only the sandboxes accept.
 */
public final class LocalIntegrations {
    public static final String STRIPE_API_KEY = "sk_test_51CrmSyncLocalKey0001";
    /** A Mailchimp key ends with its data centre. */
    public static final String MAILCHIMP_API_KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0-us21";

    public static final String MAILCHIMP_LIST_ID = "fa17c0ffee";
    public static final String ZENDESK_API_TOKEN = "CrmSyncLocalZendeskToken00000000000000001";
    public static final String ZENDESK_EMAIL = "crm-sync@acme.example";
    /** Set as the stack sets it; the local vendor URL takes precedence over it. */
    public static final String ZENDESK_SUBDOMAIN = "acme";

    public static final String SLACK_BOT_TOKEN = "xoxb-1000000000-crm-sync-local";
    public static final String SLACK_CHANNEL_ID = "C0SALES01";
    public static final String SLACK_CHANNEL_NAME = "sales";
    public static final String RECORD_URL_TEMPLATE = "https://crm.example.com/deals/{recordId}";

    private LocalIntegrations() {}

    /** The four integrations, in the catalog's order, each with its sandbox started. */
    public static List<LocalIntegration<?>> all() {
        return List.of(billing(), marketing(), helpdesk(), notifications());
    }

    /** The integration named {@code id}, with its sandbox started. */
    public static LocalIntegration<?> of(IntegrationId id) {
        return switch (id) {
            case BILLING -> billing();
            case MARKETING -> marketing();
            case HELPDESK -> helpdesk();
            case NOTIFICATIONS -> notifications();
        };
    }

    public static LocalIntegration<StripeSandbox> billing() {
        return new LocalIntegration<>(
                IntegrationId.BILLING,
                StripeConnector::new,
                StripeSandbox.start().acceptApiKeys(STRIPE_API_KEY),
                apiKeySecret(STRIPE_API_KEY),
                Map.of());
    }

    public static LocalIntegration<MailchimpSandbox> marketing() {
        return new LocalIntegration<>(
                IntegrationId.MARKETING,
                MailchimpConnector::new,
                MailchimpSandbox.start().acceptApiKeys(MAILCHIMP_API_KEY).createList(MAILCHIMP_LIST_ID),
                apiKeySecret(MAILCHIMP_API_KEY),
                Map.of(EnvVar.CRM_SYNC_OPTION_LIST_ID, MAILCHIMP_LIST_ID));
    }

    public static LocalIntegration<ZendeskSandbox> helpdesk() {
        return new LocalIntegration<>(
                IntegrationId.HELPDESK,
                ZendeskConnector::new,
                ZendeskSandbox.start().acceptApiKeys(ZENDESK_API_TOKEN),
                "{\"email\":\"" + ZENDESK_EMAIL + "\",\"apiToken\":\"" + ZENDESK_API_TOKEN + "\"}",
                Map.of(EnvVar.CRM_SYNC_OPTION_SUBDOMAIN, ZENDESK_SUBDOMAIN));
    }

    public static LocalIntegration<SlackSandbox> notifications() {
        return new LocalIntegration<>(
                IntegrationId.NOTIFICATIONS,
                SlackConnector::new,
                SlackSandbox.start().acceptApiKeys(SLACK_BOT_TOKEN).addChannel(SLACK_CHANNEL_ID, SLACK_CHANNEL_NAME),
                "{\"botToken\":\"" + SLACK_BOT_TOKEN + "\"}",
                Map.of(
                        EnvVar.CRM_SYNC_OPTION_CHANNEL,
                        SLACK_CHANNEL_ID,
                        EnvVar.CRM_SYNC_OPTION_RECORD_URL_TEMPLATE,
                        RECORD_URL_TEMPLATE));
    }

    private static String apiKeySecret(String key) {
        return "{\"apiKey\":\"" + key + "\"}";
    }
}
