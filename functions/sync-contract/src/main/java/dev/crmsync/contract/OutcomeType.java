package dev.crmsync.contract;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What became of a record, as the outcome events the functions publish on the event bus name it
 * (events/README.md, "Outcome events"): the detail-type {@code sync.applied}, {@code sync.failed} or
 * {@code sync.skipped}, under the source {@link #EVENT_SOURCE}. The function reads which of them to
 * publish from {@code CRM_SYNC_PUBLISH_OUTCOMES}; the stack writes that variable from the catalog with
 * {@link #format}, so both sides share these names.
 */
public enum OutcomeType {
    APPLIED,
    FAILED,
    SKIPPED;

    /**
     * The {@code source} of every outcome event. The stack refuses it as the CRM's source, so no
     * integration's rule (which matches the CRM's source) can ever route an outcome event.
     */
    public static final String EVENT_SOURCE = "crm-sync";

    /** The value of {@code CRM_SYNC_PUBLISH_OUTCOMES} that publishes nothing. */
    public static final String NONE = "none";

    /** Published when an integration's entry does not say otherwise: applied and failed. */
    public static Set<OutcomeType> defaults() {
        return Collections.unmodifiableSet(EnumSet.of(APPLIED, FAILED));
    }

    /** {@code applied}, as written in {@code CRM_SYNC_PUBLISH_OUTCOMES}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome event's detail-type: {@code sync.applied}, {@code sync.failed}, {@code sync.skipped}. */
    public String detailType() {
        return "sync." + settingName();
    }

    /** {@code applied,failed}, or {@link #NONE}: the inverse of {@link #parse}. */
    public static String format(Set<OutcomeType> outcomes) {
        if (outcomes.isEmpty()) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        for (OutcomeType outcome : values()) {
            if (outcomes.contains(outcome)) {
                names.add(outcome.settingName());
            }
        }
        return String.join(",", names);
    }

    /**
     * Reads a comma-separated list such as {@code applied,failed,skipped}, or {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the unknown word, so a typo fails the function's start, not silently
     */
    public static Set<OutcomeType> parse(String value) {
        Set<OutcomeType> outcomes = EnumSet.noneOf(OutcomeType.class);
        if (value.strip().equalsIgnoreCase(NONE)) {
            return outcomes;
        }
        for (String word : value.split(",")) {
            String name = word.strip().toLowerCase(Locale.ROOT);
            OutcomeType match = null;
            for (OutcomeType outcome : values()) {
                if (outcome.settingName().equals(name)) {
                    match = outcome;
                }
            }
            if (match == null) {
                throw new IllegalArgumentException(
                        "unknown outcome '" + word.strip() + "': use a comma-separated list of "
                                + format(EnumSet.allOf(OutcomeType.class)) + ", or " + NONE);
            }
            outcomes.add(match);
        }
        return outcomes;
    }
}
