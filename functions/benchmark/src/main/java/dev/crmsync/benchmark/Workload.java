package dev.crmsync.benchmark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.harness.SampleEvents;
import java.util.ArrayList;
import java.util.List;

/**
 * The events a benchmark phase sends an integration: changes of records it has never seen, made
 * from the contract's sample of the first detail-type its rule routes to it (billing and helpdesk:
 * {@code account.upserted}, marketing: {@code contact.upserted}, notifications: {@code deal.closed}),
 * each with its own record id, event id and e-mail address, so each is one applied record.
 */
final class Workload {
    private Workload() {}

    /** The detail-type of the records {@link #newRecords} makes for {@code integration}. */
    static String detailType(IntegrationId integration) {
        return integration.detailTypes().get(0);
    }

    static List<String> newRecords(IntegrationId integration, int count) {
        String detailType = detailType(integration);
        ObjectNode detail = (ObjectNode)
                SampleEvents.sample("valid/" + detailType + ".json").get("detail");
        String idPrefix = detail.get("recordId").asText().substring(0, 3);
        List<String> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String recordId = SampleEvents.unique(idPrefix);
            events.add(SampleEvents.event(detailType, "evt-" + recordId, recordId, 1, data -> {
                if (data.has("email")) {
                    data.put("email", recordId.toLowerCase(java.util.Locale.ROOT) + "@bench.example");
                }
                if (data.has("name")) {
                    data.put("name", data.get("name").asText() + " " + recordId);
                }
            }));
        }
        return events;
    }
}
