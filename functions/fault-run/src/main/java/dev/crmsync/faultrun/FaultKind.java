package dev.crmsync.faultrun;

/** Every fault the run injects and counts, in the order RELIABILITY.md lists them. */
enum FaultKind {
    // what the CRM and EventBridge bring
    DUPLICATE("duplicate deliveries"),
    OUT_OF_ORDER("versions sent after a newer one"),
    BURST("bursts on one record (5–8 versions back to back)"),
    EMAIL_CHANGE("e-mail changes"),
    DELETE("deletes"),
    RE_CREATE("re-creates after a delete"),
    CASE_ONLY_ID_PAIR("records of a case-only id pair"),
    SEVERAL_CLOSES_PER_DEAL("deals closed 2–3 times (other names and amounts)"),
    MALFORMED("malformed bodies (not JSON)"),
    SCHEMA_INVALID("schema-invalid events"),
    // what the vendor does
    VENDOR_5XX("vendor 5xx at the edge"),
    VENDOR_5XX_BEFORE_WORK("vendor 5xx inside the request, before its work"),
    VENDOR_5XX_AFTER_WORK("vendor 5xx after its work was done"),
    STORED_5XX_REPLAYED("stored 5xx replayed under an idempotency key (Stripe)"),
    RATE_LIMITED_WITH_RETRY_AFTER("429 with Retry-After"),
    RATE_LIMITED_WITHOUT_RETRY_AFTER("429 without Retry-After"),
    VENDOR_RATE_LIMIT("429 from the vendor's own limits"),
    TIMEOUT("timeouts (work done, answer too late)"),
    CONNECTION_RESET("connection resets"),
    DELETED_BY_HAND("objects deleted in the vendor by hand"),
    POST_SUCCEEDED_WITH_ERROR("Slack posts that succeeded but answered an error"),
    // what the functions do
    CRASH_BEFORE_COMMIT("instances crashed between the vendor call and the commit (replaced)"),
    FROZEN_STRAGGLER("instances frozen past their lease, then thawed"),
    SHORT_OUTAGE("vendor outage within the retry window (requests refused)"),
    LONG_OUTAGE("vendor outage longer than the retry window (requests refused)");

    final String description;

    FaultKind(String description) {
        this.description = description;
    }
}
