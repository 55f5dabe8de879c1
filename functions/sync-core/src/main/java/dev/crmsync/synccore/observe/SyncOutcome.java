package dev.crmsync.synccore.observe;

import dev.crmsync.contract.OutcomeType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What became of a record, as the outcome events published on the event bus name it: sync-core's
 * name for {@link OutcomeType}, the contract's enum, whose spellings (setting names, detail-types,
 * the events' source) every method here takes.
 */
public enum SyncOutcome {
    APPLIED(OutcomeType.APPLIED),
    FAILED(OutcomeType.FAILED),
    SKIPPED(OutcomeType.SKIPPED);

    /** The {@code source} of every outcome event: {@link OutcomeType#EVENT_SOURCE}. */
    public static final String EVENT_SOURCE = OutcomeType.EVENT_SOURCE;

    /** Published when an integration's entry does not say otherwise. */
    public static final Set<SyncOutcome> DEFAULT = Collections.unmodifiableSet(of(OutcomeType.defaults()));

    /** The value of {@code CRM_SYNC_PUBLISH_OUTCOMES} that publishes nothing. */
    public static final String NONE = OutcomeType.NONE;

    private final OutcomeType type;

    SyncOutcome(OutcomeType type) {
        this.type = type;
    }

    /** The contract's constant of this outcome. */
    public OutcomeType type() {
        return type;
    }

    /** {@code applied}, as written in {@code CRM_SYNC_PUBLISH_OUTCOMES}. */
    public String settingName() {
        return type.settingName();
    }

    /** The outcome event's detail-type: {@code sync.applied}, {@code sync.failed}, {@code sync.skipped}. */
    public String detailType() {
        return type.detailType();
    }

    /** {@code applied,failed}, or {@link #NONE}: the inverse of {@link #parse}. */
    public static String format(Set<SyncOutcome> outcomes) {
        Set<OutcomeType> types = EnumSet.noneOf(OutcomeType.class);
        outcomes.forEach(outcome -> types.add(outcome.type));
        return OutcomeType.format(types);
    }

    /**
     * Reads a comma-separated list such as {@code applied,failed,skipped}, or {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the unknown word, so a typo fails the function's start, not silently
     */
    public static Set<SyncOutcome> parse(String value) {
        return of(OutcomeType.parse(value));
    }

    private static Set<SyncOutcome> of(Set<OutcomeType> types) {
        Set<SyncOutcome> outcomes = EnumSet.noneOf(SyncOutcome.class);
        for (SyncOutcome outcome : values()) {
            if (types.contains(outcome.type)) {
                outcomes.add(outcome);
            }
        }
        return outcomes;
    }
}
