package dev.crmsync.contract;

/**
 * The metrics the functions write (Powertools EMF) that the stack's alarms and dashboard read, by the
 * name both sides use. Every metric carries the dimension {@link #DIMENSION}.
 */
public enum MetricName {
    /** Records applied. */
    SUCCEEDED("succeeded", MetricName.NAMESPACE),
    /** Records that failed (also counted by error class, {@code failed_<class>}). */
    FAILED("failed", MetricName.NAMESPACE),
    /** Records skipped (also counted by reason, {@code skipped_<reason>}). */
    SKIPPED("skipped", MetricName.NAMESPACE),
    /** Records a function that could not start answered as failed; the stack alarms on any. */
    STARTUP_FAILED("startupFailed", MetricName.HEALTH_NAMESPACE);

    /** The namespace of the per-record outcomes, and the only one the functions' role may write. */
    public static final String NAMESPACE = "CrmSync";
    /**
     * The namespace of a function's own health, apart from the per-record outcomes: a failed record is
     * retried and pages no one, while a function that cannot start fails every record until someone
     * fixes it, so the stack alarms on this one.
     */
    public static final String HEALTH_NAMESPACE = "CrmSync/Health";
    /** The dimension every metric carries: the integration's name. */
    public static final String DIMENSION = "integration";

    private final String wireName;
    private final String namespace;

    MetricName(String wireName, String namespace) {
        this.wireName = wireName;
        this.namespace = namespace;
    }

    /** {@code succeeded}. */
    public String wireName() {
        return wireName;
    }

    public String namespace() {
        return namespace;
    }
}
