package dev.crmsync.localrun;

import dev.crmsync.infra.Integration;
import dev.crmsync.infra.RulePattern;
import java.util.List;
import java.util.TreeSet;
import software.amazon.event.ruler.GenericMachine;

/**
 * EventBridge's routing on this machine: EventBridge's own matcher (event-ruler) holding each catalog entry's rule
 * pattern exactly as the stack builds it ({@link RulePattern}). An event that is not JSON is refused by the bus, as
 * PutEvents refuses it, and goes nowhere.
 */
final class EventRouter {
    private final GenericMachine<String> rules =
            GenericMachine.<String>builder().build();

    EventRouter(List<Integration> catalog, String crmSource) {
        try {
            for (Integration integration : catalog) {
                rules.addRule(
                        integration.name(),
                        RulePattern.of(integration, crmSource).toJson());
            }
        } catch (Exception e) {
            throw new IllegalStateException("a catalog rule pattern is not a valid event pattern", e);
        }
    }

    /** The integrations whose rule matches {@code body}, by name, sorted. */
    List<String> route(String body) {
        try {
            return List.copyOf(new TreeSet<>(rules.rulesForJSONEvent(body)));
        } catch (Exception notAnEvent) {
            return List.of();
        }
    }
}
