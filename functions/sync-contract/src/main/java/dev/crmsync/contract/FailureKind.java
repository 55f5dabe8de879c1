package dev.crmsync.contract;

/** How the pipeline treats a failure of an error class. */
public enum FailureKind {
    /** Retried with backoff until the integration's retry window is over, then to the DLQ with a status item. */
    RETRYABLE,
    /** No retry can fix it: to the DLQ within seconds (visibility 0), with a status item. */
    PERMANENT,
    /**
     * Permanent or retryable by where it arose; the status item's outcome ({@code FAILED_PERMANENT} or {@code
     * RETRYING}) says which.
     */
    EITHER;

    /** {@code retryable}, as the runbook's table writes it. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
