package dev.crmsync.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.harness.SampleEvents;
import java.nio.file.Path;

/** Billing's events for tests, the local run and the benchmark: accounts and closed deals ({@link SampleEvents}). */
final class TestEvents {
    static final Path SAMPLES = SampleEvents.samples();

    private TestEvents() {}

    static ObjectNode sample(String relativePath) {
        return SampleEvents.sample(relativePath);
    }

    static String accountUpserted(String accountId, long version, String name) {
        return SampleEvents.accountUpserted(accountId, version, name);
    }

    static String accountUpserted(String accountId, long version, String name, String eventId) {
        return SampleEvents.accountUpserted(accountId, version, name, eventId);
    }

    static String dealClosed(String dealId, String accountId, String amount, String eventId) {
        return SampleEvents.dealClosed(dealId, accountId, amount, eventId);
    }

    static String dealClosed(String dealId, String accountId, String amount, String name, String eventId) {
        return SampleEvents.dealClosed(dealId, accountId, amount, name, eventId);
    }

    static String withOrigin(String body, String origin) {
        return SampleEvents.withOrigin(body, origin);
    }

    static String unique(String prefix) {
        return SampleEvents.unique(prefix);
    }
}
