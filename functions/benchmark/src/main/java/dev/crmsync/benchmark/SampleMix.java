package dev.crmsync.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.harness.SampleEvents;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The mix of CRM events the cost table prices: one event per valid sample of
 * events/samples/valid, each fanned out to the integrations whose rules match it, as
 * events/routing.json (checked against the synthesized rules by template-tests) says.
 */
record SampleMix(int events, Map<IntegrationId, Integer> routed) {
    static SampleMix read() throws IOException {
        JsonNode samples = new ObjectMapper()
                .readTree(SampleEvents.samples().resolveSibling("routing.json").toFile())
                .get("samples");
        Map<IntegrationId, Integer> routed = new EnumMap<>(IntegrationId.class);
        int events = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = samples.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> sample = it.next();
            if (!sample.getKey().startsWith("valid/")) {
                continue;
            }
            events++;
            for (JsonNode name : sample.getValue()) {
                routed.merge(integration(name.asText()), 1, Integer::sum);
            }
        }
        return new SampleMix(events, routed);
    }

    /** Records the integration handles per CRM event of the mix. */
    double recordsPerEvent(IntegrationId id) {
        return routed.getOrDefault(id, 0) / (double) events;
    }

    double totalRecordsPerEvent() {
        return routed.values().stream().mapToInt(Integer::intValue).sum() / (double) events;
    }

    private static IntegrationId integration(String wireName) {
        for (IntegrationId id : IntegrationId.values()) {
            if (id.wireName().equals(wireName)) {
                return id;
            }
        }
        throw new IllegalArgumentException("events/routing.json names an unknown integration: " + wireName);
    }
}
