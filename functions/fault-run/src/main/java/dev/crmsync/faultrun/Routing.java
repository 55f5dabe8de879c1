package dev.crmsync.faultrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.harness.SampleEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where EventBridge delivers an event: the {@code integrations} table of events/routing.json (which
 * RoutingTest proves equal to the synthesized rules), by detail-type. A body that is not JSON has no
 * detail-type and no rule would deliver it; the run puts each one on one integration's queue
 * directly, taking the integrations in turn, as a mis-sent message would arrive.
 */
final class Routing {
    private final Map<String, Set<String>> detailTypes = new LinkedHashMap<>();

    private Routing(JsonNode integrations) {
        integrations.properties().forEach(e -> {
            List<String> types = new ArrayList<>();
            e.getValue().forEach(t -> types.add(t.asText()));
            detailTypes.put(e.getKey(), Set.copyOf(types));
        });
    }

    static Routing fromContract() {
        try {
            return new Routing(new ObjectMapper().readTree(SampleEvents.samples().resolveSibling("routing.json").toFile()).path("integrations"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return detailTypes.entrySet().stream().filter(e -> e.getValue().contains(event.detailType())).map(Map.Entry::getKey).toList();
    }
}
