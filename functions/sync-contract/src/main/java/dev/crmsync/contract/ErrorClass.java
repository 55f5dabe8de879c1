package dev.crmsync.contract;

import java.util.Optional;

/**
 * Every error class a failure is reported with: on the status item ({@code errorClass}), the metric
 * {@code failed_<class>}, the log line and the {@code sync.failed} outcome event. The runbook's
 * error-class table (docs/RUNBOOK.md) is generated from this enum: what the class means and what
 * on-call does about it. Classes with the same cause and fix, declared next to each other, share a row.
 */
public enum ErrorClass {
    SCHEMA_INVALID(FailureKind.PERMANENT, Runbook.CONTRACT_BROKEN, Runbook.FIX_SENDER),
    MALFORMED_JSON(FailureKind.PERMANENT, Runbook.CONTRACT_BROKEN, Runbook.FIX_SENDER),
    UNKNOWN_DETAIL_TYPE(FailureKind.PERMANENT, Runbook.CONTRACT_BROKEN, Runbook.FIX_SENDER),
    OVERSIZED(FailureKind.PERMANENT, Runbook.CONTRACT_BROKEN, Runbook.FIX_SENDER),
    UNSUPPORTED_DETAIL_TYPE(
            FailureKind.PERMANENT,
            "the integration's rule delivered a detail-type its connector does not handle (the catalog entry's "
                    + "detail-types and"
                    + " the connector disagree)",
            "make the catalog entry's detail-types the connector's (or the connector handle the type), deploy; then "
                    + "redrive"),
    VENDOR_REJECTED(
            FailureKind.PERMANENT,
            "the vendor refused the data (4xx), e.g. an invalid e-mail",
            "fix the record in the CRM (a newer version syncs by itself), or fix the vendor side, then redrive"),
    MEMBER_REFUSED(
            FailureKind.PERMANENT,
            "(marketing) Mailchimp will not take this address (`Member In Compliance State`,"
                    + " `Forgotten Email Not Subscribed`: it bounced, unsubscribed through compliance, or was "
                    + "erased): nothing to retry",
            "nothing to fix in crm-sync: if the person re-subscribes in Mailchimp, redrive; otherwise give the "
                    + "contact another"
                    + " address in the CRM (a newer version syncs by itself) or delete the message from the DLQ"),
    NAME_CONFLICT(
            FailureKind.PERMANENT,
            "(helpdesk) the account's name is taken in Zendesk by an organization with another"
                    + " external_id: a second CRM account with the same name, or one linked by hand (Zendesk names "
                    + "are unique; one"
                    + " without an external_id is adopted instead)",
            "rename one of the accounts in the CRM (a newer version syncs by itself), or change that organization's "
                    + "External ID"
                    + " in Zendesk, then redrive"),
    STAFF_USER(
            FailureKind.PERMANENT,
            "(helpdesk) the contact's e-mail address or external_id belongs to a Zendesk agent or"
                    + " admin (an employee who is also a contact): the sync never writes to or deletes a staff user; "
                    + "the reason names"
                    + " the Zendesk user id and role",
            "give the contact another address in the CRM (a newer version syncs by itself), or correct the agent's "
                    + "address in"
                    + " Zendesk, then redrive; if the reason says `create_or_update` wrote to it, check that agent's "
                    + "profile"),
    ENDPOINT_NOT_FOUND(
            FailureKind.PERMANENT,
            "(helpdesk) a 404 that is not Zendesk's `RecordNotFound` — a path Zendesk does"
                    + " not serve, or a page from a host that is not the account's API (a mistyped subdomain or "
                    + "vendor URL, a proxy)",
            "fix `CRM_SYNC_OPTION_SUBDOMAIN` / `CRM_SYNC_VENDOR_URL` or what is in between, then redrive"),
    FORBIDDEN(
            FailureKind.PERMANENT,
            "(helpdesk) Zendesk answered 403: the secret's token belongs to an agent whose role may"
                    + " not manage end users and organizations",
            "give that agent a custom role that manages end users and organizations (Enterprise), or put an admin's "
                    + "e-mail and"
                    + " API token in the secret; then redrive"),
    HISTORY_TOO_LONG(
            FailureKind.PERMANENT,
            "(notifications) too many messages in the channel since the deal closed to be sure"
                    + " an earlier attempt's message is not among them: nothing was posted",
            "look for the message in the channel (metadata `deal_id`, named in the reason), post by hand if it is "
                    + "missing, and"
                    + " delete the message from the DLQ"),
    UNAUTHORIZED(
            FailureKind.PERMANENT,
            "the vendor rejected the key, also after re-reading the secret (a Slack reason naming"
                    + " `token_expired` means token rotation is on: turn it off and put a long-lived token in the "
                    + "secret); or the secret"
                    + " has no `apiKey`, or one with a control character or a character above U+00FF (a pasted line "
                    + "break, zero-width"
                    + " space or typographic quote) — then nothing was sent and the reason says so",
            "put a valid, clean key (`aws secretsmanager put-secret-value`), then redrive"),
    REQUEST_UNSENDABLE(
            FailureKind.PERMANENT,
            "the HTTP client refused a header value or the URL (a fixed reason; no value is" + " shown)",
            "check the CRM record id and the vendor URL, then redrive"),
    IDEMPOTENCY_ERROR(
            FailureKind.RETRYABLE,
            "Stripe refused every key generation of one write because earlier attempts sent"
                    + " them with other parameters, for the whole retry window (each attempt looks for the earlier "
                    + "effect and moves to"
                    + " the next generation first)",
            "find the reason's key in the Stripe Dashboard's request log and what it created; redrive"),
    VENDOR_5XX(FailureKind.RETRYABLE, Runbook.VENDOR_UNAVAILABLE, Runbook.WAIT_AND_REDRIVE),
    RATE_LIMITED(FailureKind.RETRYABLE, Runbook.VENDOR_UNAVAILABLE, Runbook.WAIT_AND_REDRIVE),
    TIMEOUT(FailureKind.RETRYABLE, Runbook.VENDOR_UNAVAILABLE, Runbook.WAIT_AND_REDRIVE),
    NETWORK(FailureKind.RETRYABLE, Runbook.VENDOR_UNAVAILABLE, Runbook.WAIT_AND_REDRIVE),
    CONFLICT(FailureKind.RETRYABLE, Runbook.VENDOR_UNAVAILABLE, Runbook.WAIT_AND_REDRIVE),
    DEADLINE(FailureKind.RETRYABLE, Runbook.VENDOR_UNAVAILABLE, Runbook.WAIT_AND_REDRIVE),
    CONFIGURATION(
            FailureKind.PERMANENT,
            "a connector option the stack sets is wrong (marketing: no list id, or one the"
                    + " Mailchimp account does not have — the reason names it; notifications: no channel, a `#name` "
                    + "instead of an ID, a bad record URL"
                    + " template), or the notifications secret holds a rotating Slack token (`xoxe.…`, expires after "
                    + "12 h) — nothing was"
                    + " sent",
            "fix the catalog entry or `-c` context and deploy, or turn token rotation off for the Slack app and put "
                    + "its `xoxb-`"
                    + " token in the secret; then redrive"),
    DEPENDENCY_MISSING(
            FailureKind.RETRYABLE,
            "e.g. a deal whose account has no customer yet, for the whole retry window",
            "make sure the account's event was applied (its own status), then redrive"),
    RECORD_BUSY(
            FailureKind.RETRYABLE,
            "another attempt held the record until the message's last receive (a stuck lease)",
            "the holder's event id is in the reason: look at its status; redrive"),
    STATE_UNAVAILABLE(
            FailureKind.RETRYABLE,
            "the state table did not answer (throttled or unreachable) for the whole retry window",
            "the table's metrics; redrive"),
    CREDENTIALS_UNAVAILABLE(
            FailureKind.RETRYABLE,
            "the secret could not be read or has no value",
            "put the value; check the function role"),
    STARTUP_FAILED(
            FailureKind.RETRYABLE,
            "the function could not start: the reason names the variable or option (see the"
                    + " startup-failed alarm); retried every 15 min, `FAILED_PERMANENT` on the message's last receive",
            "fix the configuration, deploy, then redrive"),
    INTERNAL(
            FailureKind.EITHER,
            "`FAILED_PERMANENT`: the connector threw instead of answering, while planning or applying the"
                    + " event (a bug meeting an input or a vendor answer it did not expect): sent to the DLQ at once "
                    + "rather than retried"
                    + " for hours, since every retry would throw again; the reason names the exception. A vendor "
                    + "call before the throw"
                    + " may have reached the vendor: the redrive looks for its effect before acting again. "
                    + "`RETRYING`: an unexpected"
                    + " error outside the connector (the pipeline or the state table)",
            "the log group (search the event id); fix the connector, deploy, redrive"),
    LEASE_LOST(FailureKind.RETRYABLE, "an invocation that ran past its lease", Runbook.LOOK_AT_LOGS),
    INTERRUPTED(
            FailureKind.RETRYABLE, "a vendor call was interrupted at the invocation's deadline", Runbook.LOOK_AT_LOGS);

    /** Text that several classes share, so a shared row is written once. */
    private static final class Runbook {
        static final String CONTRACT_BROKEN =
                "the CRM sent an event that breaks the contract: a named field missing or of the"
                        + " wrong type, or over a bound (new fields alone never cause this), or a number no double "
                        + "holds (`1e400`, in"
                        + " any field)";
        static final String FIX_SENDER = "fix the sender; resend the change corrected (a redrive would fail again)";
        static final String VENDOR_UNAVAILABLE =
                "the vendor was unavailable for the whole retry window (7 h by default);"
                        + " `rate_limited` also covers Slack's workspace posting limit (HTTP 200 `rate_limited`, "
                        + "retried after 30 s) and"
                        + " Mailchimp's signup throttle for one address (retried after 30 min)";
        static final String WAIT_AND_REDRIVE = "wait until it is healthy, then redrive";
        static final String LOOK_AT_LOGS = "the log group (search the event id); redrive";
    }

    private final FailureKind kind;
    private final String cause;
    private final String fix;

    ErrorClass(FailureKind kind, String cause, String fix) {
        this.kind = kind;
        this.cause = cause;
        this.fix = fix;
    }

    /** {@code schema_invalid}: the spelling on the status item, the metric and the outcome event. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public FailureKind kind() {
        return kind;
    }

    /** What it means, as the runbook says it (Markdown). */
    public String cause() {
        return cause;
    }

    /** What on-call does about it (Markdown). */
    public String fix() {
        return fix;
    }

    /** The class spelled {@code wireName}, if it is one of these. */
    public static Optional<ErrorClass> ofWireName(String wireName) {
        for (ErrorClass errorClass : values()) {
            if (errorClass.wireName().equals(wireName)) {
                return Optional.of(errorClass);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName();
    }
}
