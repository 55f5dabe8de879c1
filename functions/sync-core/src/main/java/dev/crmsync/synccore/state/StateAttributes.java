package dev.crmsync.synccore.state;

/**
 * The state table's attribute names, in one place: every class that reads or writes an item of the
 * table spells them from here.
 */
final class StateAttributes {
    static final String PK = "pk";
    static final String APPLIED_VERSION = "appliedVersion";
    static final String APPLIED_EVENT = "appliedEventId";
    static final String APPLIED_AT = "appliedAt";
    static final String EXTERNAL_ID = "externalId";
    static final String EXTERNAL_IDS = "externalIds";
    static final String KEY_GENERATION = "keyGeneration";
    static final String ACTION_TERMS = "actionTerms";
    static final String LIVE_KEYS = "liveVendorKeys";
    /** Where a failed attempt's lookup stopped ({@code SyncResult.Failed#resumePoint}); the next claim takes it. */
    static final String RESUME_POINT = "resumePoint";
    /**
     * The newest version any attempt claimed, kept after a failed attempt releases its lease: that
     * attempt may have reached the vendor (a timeout or a 5xx after the work was done), so no older
     * version may be sent after it.
     */
    static final String ATTEMPTED_VERSION = "attemptedVersion";

    static final String ATTEMPTED_EVENT = "attemptedEventId";
    static final String LEASE_OWNER = "leaseOwner";
    static final String LEASE_EVENT = "leaseEvent";
    static final String LEASE_VERSION = "leaseVersion";
    static final String LEASE_UNTIL = "leaseUntil";
    static final String ACTION_STATUS = "actionStatus";
    static final String COMPLETED = "COMPLETED";
    static final String EXPIRES_AT = "expiresAt";
    static final String FAILED_EVENTS = "failedEvents";
    static final String GAVE_UP_MESSAGE = "gaveUpMessageId";
    static final String GAVE_UP_AT = "gaveUpAt";
    static final String GAVE_UP_CLASS = "gaveUpErrorClass";
    static final String GAVE_UP_RECEIVE = "gaveUpReceiveCount";
    /**
     * The item's give-ups by message id, each {@code {gaveUpAt, gaveUpErrorClass, gaveUpReceiveCount}}.
     * (Items written before it hold one give-up in top-level attributes of those names; still honoured.)
     */
    static final String GAVE_UPS = "gaveUps";
    /**
     * The item's failed events in the order they failed (ids may repeat or have recovered since): what the bound
     * evicts by.
     */
    static final String FAILED_ORDER = "failedEventsOrder";

    private StateAttributes() {}
}
