package dev.crmsync.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.harness.SampleEvents;
import java.nio.file.Path;

/** Billing's events for tests: accounts and closed deals made from the contract's samples ({@link SampleEvents}). */
final class TestEvents {
    static final Path SAMPLES = SampleEvents.samples();

    private TestEvents() {}

    static ObjectNode sample(String relativePath) {
        return SampleEvents.sample(relativePath);
    }

    static String accountUpserted(String accountId, long version, String name) {
        return accountUpserted(accountId, version, name, "evt-" + accountId + "-v" + version);
    }

    static String accountUpserted(String accountId, long version, String name, String eventId) {
        return SampleEvents.event("account.upserted", eventId, accountId, version, data -> data.put("name", name));
    }

    static String dealClosed(String dealId, String accountId, String amount, String eventId) {
        ObjectNode detail = (ObjectNode) sample("valid/deal.closed.json").get("detail");
        return dealClosed(dealId, accountId, amount, detail.path("data").path("name").asText(), eventId);
    }

    static String dealClosed(String dealId, String accountId, String amount, String name, String eventId) {
        ObjectNode detail = (ObjectNode) sample("valid/deal.closed.json").get("detail");
        return SampleEvents.event("deal.closed", eventId, dealId, detail.get("version").asLong(), data -> {
            data.put("accountId", accountId);
            data.put("amount", new java.math.BigDecimal(amount));
            data.put("name", name);
        });
    }

    static String withOrigin(String body, String origin) {
        return SampleEvents.withOrigin(body, origin);
    }

    static String unique(String prefix) {
        return SampleEvents.unique(prefix);
    }
}
