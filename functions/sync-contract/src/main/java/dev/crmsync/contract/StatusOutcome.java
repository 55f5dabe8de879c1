package dev.crmsync.contract;

/**
 * The {@code outcome} of an event's status item in the state table: what on-call reads before
 * pressing "redrive". The spelling on the item is the constant's name.
 */
public enum StatusOutcome {
    /** The event failed for a retryable reason and is being retried. */
    RETRYING,
    /**
     * It went to the DLQ: a permanent failure, or a retryable one whose retry window or receive backstop
     * ran out (the reason then starts with "gave up after N receives").
     */
    FAILED_PERMANENT,
    /** A retry or a redrive later applied it. */
    APPLIED,
    /** A retry or a redrive later found it a duplicate or stale. */
    SKIPPED;

    /** The spelling on the status item. */
    public String wireName() {
        return name();
    }
}
