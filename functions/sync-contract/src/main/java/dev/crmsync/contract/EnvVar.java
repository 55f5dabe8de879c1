package dev.crmsync.contract;

import java.util.Optional;

/**
 * Every environment variable the stack sets on a sync function and the function reads, by its wire
 * name: the function learns everything from its environment, so the same jar runs on AWS, in the
 * tests and in the local run. docs/configuration.md's table is generated from this enum.
 */
public enum EnvVar {
    CRM_SYNC_INTEGRATION(Reader.PIPELINE, "the integration, e.g. `billing`", Default.REQUIRED),
    CRM_SYNC_TABLE(Reader.PIPELINE, "the state table", Default.REQUIRED),
    CRM_SYNC_QUEUE_URL(Reader.PIPELINE, "the integration queue (for visibility changes)", Default.REQUIRED),
    CRM_SYNC_SECRET_ID(Reader.PIPELINE, "the secret's name or ARN (never its value)", Default.REQUIRED),
    CRM_SYNC_EVENT_BUS(
            Reader.PIPELINE, "the event bus the function puts its outcome events on", "unset (no outcome events)"),
    CRM_SYNC_PUBLISH_OUTCOMES(
            Reader.PIPELINE,
            "which outcome events the function puts on `CRM_SYNC_EVENT_BUS` after each record:"
                    + " `applied`, `failed`, `skipped` (comma-separated) or `none`; none without a bus"
                    + " ([events/README.md](../events/README.md#outcome-events))",
            "`applied,failed` (the stack sets it from the catalog entry)"),
    CRM_SYNC_VENDOR_URL(Reader.PIPELINE, "the vendor's base URL (local runs and tests)", "the real vendor"),
    CRM_SYNC_MAX_CONCURRENCY(Reader.PIPELINE, "vendor calls in flight per invocation", "8"),
    CRM_SYNC_BACKOFF_BASE_SECONDS(
            Reader.PIPELINE,
            "retry backoff bound's base: base × 2^(receives−1), capped; the delay lies"
                    + " between half the bound and the bound (the stack sets it)",
            "2"),
    CRM_SYNC_BACKOFF_CAP_SECONDS(Reader.PIPELINE, "retry backoff bound's cap (the stack sets it)", "900"),
    CRM_SYNC_RETRY_WINDOW_SECONDS(
            Reader.PIPELINE,
            "how long after its first receive a change is retried before it goes to the DLQ",
            "set by the stack (25200 = 7 h)"),
    CRM_SYNC_MAX_RECEIVE_COUNT(
            Reader.PIPELINE,
            "the queue's maxReceiveCount; the receive with this count is a message's last",
            "set by the stack (95 at 7 h)"),
    CRM_SYNC_BUSY_BACKOFF_CAP_SECONDS(Reader.PIPELINE, "backoff cap when a record is busy with an older version", "10"),
    CRM_SYNC_DEADLINE_MARGIN_MILLIS(
            Reader.PIPELINE,
            "no record starts with less invocation time left; vendor calls end half of it"
                    + " before the deadline (at least 100)",
            "5000"),
    CRM_SYNC_VENDOR_TIMEOUT_MILLIS(Reader.PIPELINE, "one vendor call at most", "10000"),
    CRM_SYNC_SECRET_MAX_AGE_SECONDS(Reader.PIPELINE, "secret cache", "300"),
    CRM_SYNC_STATUS_TTL_DAYS(Reader.PIPELINE, "status items expire after (longer than the DLQ's 14 days)", "30"),
    CRM_SYNC_MAX_BODY_BYTES(Reader.PIPELINE, "larger messages are rejected", "262144"),

    CRM_SYNC_OPTION_LIST_ID(
            Reader.CONNECTOR,
            "(marketing) the Mailchimp audience (list id); without it every contact change"
                    + " fails with `configuration`",
            "unset (context `marketingListId`)"),
    CRM_SYNC_OPTION_SUBDOMAIN(
            Reader.CONNECTOR,
            "(helpdesk) the Zendesk account's subdomain (`acme` for acme.zendesk.com);"
                    + " without it the function refuses to start",
            Default.REQUIRED + " (context `helpdeskSubdomain`)"),
    CRM_SYNC_OPTION_CHANNEL(
            Reader.CONNECTOR,
            "(notifications) the Slack channel's ID (C…); without it every deal fails with" + " `configuration`",
            "unset (context `notificationsChannel`)"),
    CRM_SYNC_OPTION_RECORD_URL_TEMPLATE(
            Reader.CONNECTOR,
            "(notifications) the link back to the CRM, e.g." + " `https://crm.example.com/deals/{recordId}`",
            "no link (context `crmRecordUrlTemplate`)"),

    POWERTOOLS_SERVICE_NAME(
            Reader.POWERTOOLS,
            "the service name on every log line and metric",
            "`crm-sync-<integration>` (set by the stack)"),
    POWERTOOLS_METRICS_NAMESPACE(
            Reader.POWERTOOLS,
            "the metrics' namespace, the only one the function may write",
            "`CrmSync` (set by the stack)"),
    POWERTOOLS_LOG_LEVEL(
            Reader.POWERTOOLS, "the log level; one line per record outcome at INFO", "`INFO` (set by the stack)"),

    AWS_ENDPOINT_URL_DYNAMODB(Reader.AWS_SDK, "points the function's DynamoDB client at a local server", "AWS"),
    AWS_ENDPOINT_URL_SQS(Reader.AWS_SDK, "points the function's SQS client at a local server", "AWS"),
    AWS_ENDPOINT_URL_SECRETS_MANAGER(
            Reader.AWS_SDK, "points the function's Secrets Manager client at a local server", "AWS"),
    AWS_ENDPOINT_URL_EVENTBRIDGE(Reader.AWS_SDK, "points the function's EventBridge client at a local server", "AWS");

    /** Environment variables with this prefix are options of the integration's connector, by the rest of their name. */
    public static final String OPTION_PREFIX = "CRM_SYNC_OPTION_";

    /** Who reads a variable. */
    public enum Reader {
        /** sync-core's pipeline (SyncConfig). */
        PIPELINE,
        /**
         * An integration's connector: a per-deployment option the stack sets from the catalog ({@code
         * CRM_SYNC_OPTION_<NAME>}).
         */
        CONNECTOR,
        /** Powertools' logging and metrics. */
        POWERTOOLS,
        /** The AWS SDK's own endpoint override; the stack never sets it. */
        AWS_SDK
    }

    private static final class Default {
        static final String REQUIRED = "required";
    }

    private final Reader reader;
    private final String meaning;
    private final String defaultValue;

    EnvVar(Reader reader, String meaning, String defaultValue) {
        this.reader = reader;
        this.meaning = meaning;
        this.defaultValue = defaultValue;
    }

    /** The variable's name in the environment: the constant's own name. */
    public String wireName() {
        return name();
    }

    public Reader reader() {
        return reader;
    }

    /** What the variable means, as docs/configuration.md says it (Markdown). */
    public String meaning() {
        return meaning;
    }

    /** Its default as docs/configuration.md says it: a value, {@code required}, or who sets it. */
    public String defaultValue() {
        return defaultValue;
    }

    /**
     * The default of a tuning variable whose default is a number: the value the function uses when the variable is
     * unset.
     */
    public int defaultNumber() {
        try {
            return Integer.parseInt(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name() + " has no numeric default: " + defaultValue, e);
        }
    }

    /** {@code LIST_ID} for {@link #CRM_SYNC_OPTION_LIST_ID}: the name a connector reads its option by. */
    public String optionName() {
        if (reader != Reader.CONNECTOR) {
            throw new IllegalStateException(name() + " is not a connector option");
        }
        return name().substring(OPTION_PREFIX.length());
    }

    /** The variable of connector option {@code optionName}, if it is one of the named ones. */
    public static Optional<EnvVar> ofOption(String optionName) {
        for (EnvVar variable : values()) {
            if (variable.reader == Reader.CONNECTOR && variable.optionName().equals(optionName)) {
                return Optional.of(variable);
            }
        }
        return Optional.empty();
    }
}
