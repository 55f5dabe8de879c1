package dev.crmsync.infra;

import java.util.Optional;
import software.constructs.Node;

/**
 * The CDK context the stack reads ({@code cdk deploy -c stage=prod ...} or cdk.json), read in one
 * place: {@link CrmSyncStack} resolves every key before it builds a pipeline, so no construct below
 * it reads context. docs/configuration.md's context table is generated from this enum.
 */
public enum ContextKey {
    STAGE("stage", "part of the stack and every resource name (`[a-z0-9][a-z0-9-]{0,15}`)", "`dev`"),
    CRM_SOURCE(
            "crmSource",
            "the EventBridge `source` of the CRM's events; never `crm-sync`, the source of crm-sync's own"
                    + " outcome events",
            "`crm`"),
    EVENT_BUS_NAME(
            "eventBusName",
            "an existing (e.g. partner) bus to listen on instead of a new one",
            "a new bus `crm-sync-<stage>`"),
    ALARM_EMAIL("alarmEmail", "an address subscribed to the alarm topic", "none"),
    MARKETING_LIST_ID("marketingListId", "(marketing) the Mailchimp audience: `CRM_SYNC_OPTION_LIST_ID`", "unset"),
    HELPDESK_SUBDOMAIN(
            "helpdeskSubdomain",
            "(helpdesk) the Zendesk subdomain (`acme` for acme.zendesk.com):" + " `CRM_SYNC_OPTION_SUBDOMAIN`",
            "unset (the function refuses to start)"),
    NOTIFICATIONS_CHANNEL(
            "notificationsChannel", "(notifications) the Slack channel's ID (C…): `CRM_SYNC_OPTION_CHANNEL`", "unset"),
    CRM_RECORD_URL_TEMPLATE(
            "crmRecordUrlTemplate",
            "(notifications) the link back to the CRM, e.g."
                    + " `https://crm.example.com/deals/{recordId}`: `CRM_SYNC_OPTION_RECORD_URL_TEMPLATE`",
            "no link");

    private final String key;
    private final String meaning;
    private final String defaultValue;

    ContextKey(String key, String meaning, String defaultValue) {
        this.key = key;
        this.meaning = meaning;
        this.defaultValue = defaultValue;
    }

    /** The key as {@code -c} writes it: {@code stage}. */
    public String key() {
        return key;
    }

    /** What it sets (Markdown). */
    public String meaning() {
        return meaning;
    }

    /** What the stack does when the context does not set it (Markdown). */
    public String defaultValue() {
        return defaultValue;
    }

    /** This key's value in {@code node}'s context, stripped; empty when unset or blank. */
    public Optional<String> in(Node node) {
        return valueOf(node, key);
    }

    /** The value of context {@code key} in {@code node}'s context, stripped; empty when unset or blank. */
    static Optional<String> valueOf(Node node, String key) {
        return Optional.ofNullable(node.tryGetContext(key))
                .map(Object::toString)
                .map(String::strip)
                .filter(value -> !value.isEmpty());
    }
}
