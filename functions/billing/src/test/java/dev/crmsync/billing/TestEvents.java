package dev.crmsync.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;

/** Events for tests, made from the contract's own samples (events/samples/valid) with other ids and values. */
final class TestEvents {
    static final Path SAMPLES = findSamples();
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestEvents() {}

    /** events/samples of this repository, found from the module (tests) or the repository root (benchmark). */
    private static Path findSamples() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("events/samples");
            if (java.nio.file.Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("events/samples not found above " + Path.of("").toAbsolutePath());
    }

    static ObjectNode sample(String relativePath) {
        try {
            return (ObjectNode) JSON.readTree(SAMPLES.resolve(relativePath).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String accountUpserted(String accountId, long version, String name) {
        return accountUpserted(accountId, version, name, "evt-" + accountId + "-v" + version);
    }

    static String accountUpserted(String accountId, long version, String name, String eventId) {
        ObjectNode envelope = sample("valid/account.upserted.json");
        envelope.put("id", UUID.randomUUID().toString());
        ObjectNode detail = (ObjectNode) envelope.get("detail");
        detail.put("eventId", eventId);
        detail.put("recordId", accountId);
        detail.put("version", version);
        ((ObjectNode) detail.get("data")).put("name", name);
        return envelope.toString();
    }

    static String dealClosed(String dealId, String accountId, String amount, String eventId) {
        ObjectNode envelope = sample("valid/deal.closed.json");
        envelope.put("id", UUID.randomUUID().toString());
        ObjectNode detail = (ObjectNode) envelope.get("detail");
        detail.put("eventId", eventId);
        detail.put("recordId", dealId);
        ObjectNode data = (ObjectNode) detail.get("data");
        data.put("accountId", accountId);
        data.put("amount", new java.math.BigDecimal(amount));
        return envelope.toString();
    }

    static String withOrigin(String body, String origin) {
        try {
            ObjectNode envelope = (ObjectNode) JSON.readTree(body);
            ((ObjectNode) envelope.get("detail")).put("origin", origin);
            return envelope.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
