package dev.crmsync.faultrun;

import dev.crmsync.contract.IntegrationId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where EventBridge delivers an event: each integration's detail-types as {@link IntegrationId} names
 * them (the catalog's; RoutingTest proves the synthesized rules route by them), by detail-type. A body that is not
 * JSON has no
 * detail-type and no rule would deliver it; the run puts each one on one integration's queue
 * directly, taking the integrations in turn, as a mis-sent message would arrive.
 */
final class Routing {
    private final Map<String, Set<String>> detailTypes = new LinkedHashMap<>();

    private Routing() {
        for (IntegrationId integration : IntegrationId.values()) {
            detailTypes.put(integration.wireName(), Set.copyOf(integration.detailTypes()));
        }
    }

    static Routing fromContract() {
        return new Routing();
    }

    List<String> integrations() {
        return List.copyOf(detailTypes.keySet());
    }

    /** The integrations whose queue gets {@code event}. */
    List<String> route(SentEvent event) {
        if (event.change() == SentEvent.Change.MALFORMED) {
            List<String> all = integrations();
            int n = Integer.parseInt(event.eventId().substring(event.eventId().lastIndexOf('-') + 1));
            return List.of(all.get(n / 2 % all.size()));
        }
        return detailTypes.entrySet().stream()
                .filter(e -> e.getValue().contains(event.detailType()))
                .map(Map.Entry::getKey)
                .toList();
    }
}
