package dev.crmsync.localrun;

import java.util.Optional;
import java.util.Set;

/**
 * One event the run sends to the bus, and where it must end.
 *
 * @param label    how the summary names it (a sample's path, or {@code gen-0042 contact.upserted})
 * @param body     the EventBridge event as the CRM puts it (not necessarily JSON)
 * @param expected where it must end, when the run knows it (samples, generated changes); empty for other files
 */
public record InputEvent(String label, String body, Optional<Expectation> expected) {

    /**
     * @param valid       whether the event is valid (applied or skipped) or invalid (the DLQ with a status item)
     * @param integrations the integrations whose rule must route it
     */
    public record Expectation(boolean valid, Set<String> integrations) {
        public Expectation {
            integrations = Set.copyOf(integrations);
        }
    }
}
