package dev.crmsync.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Events for tests, the local run and the benchmark, made from the contract's own samples
 * (events/samples/valid) with other ids, versions and values — so every integration's tests send
 * what the contract says a CRM sends.
 */
public final class SampleEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = findSamples();

    private SampleEvents() {}

    /**
     * The valid sample of {@code detailType} as a new event: its own envelope id, event id, record
     * id and version, and {@code data} edited by {@code editData}.
     */
    public static String event(
            String detailType, String eventId, String recordId, long version, Consumer<ObjectNode> editData) {
        ObjectNode envelope = sample("valid/" + detailType + ".json");
        envelope.put("id", UUID.randomUUID().toString());
        ObjectNode detail = (ObjectNode) envelope.get("detail");
        detail.put("eventId", eventId);
        detail.put("recordId", recordId);
        detail.put("version", version);
        editData.accept((ObjectNode) detail.get("data"));
        return envelope.toString();
    }

    /**
     * An {@code account.upserted} of {@code accountId} at {@code version}, named {@code name}, with the event id
     * {@code evt-<account>-v<version>}.
     */
    public static String accountUpserted(String accountId, long version, String name) {
        return accountUpserted(accountId, version, name, "evt-" + accountId + "-v" + version);
    }

    public static String accountUpserted(String accountId, long version, String name, String eventId) {
        return event("account.upserted", eventId, accountId, version, data -> data.put("name", name));
    }

    /**
     * A {@code deal.closed} of {@code dealId} for {@code accountId} over {@code amount}, named as the sample names it.
     */
    public static String dealClosed(String dealId, String accountId, String amount, String eventId) {
        ObjectNode detail = (ObjectNode) sample("valid/deal.closed.json").get("detail");
        return dealClosed(
                dealId, accountId, amount, detail.path("data").path("name").asText(), eventId);
    }

    public static String dealClosed(String dealId, String accountId, String amount, String name, String eventId) {
        ObjectNode detail = (ObjectNode) sample("valid/deal.closed.json").get("detail");
        return event("deal.closed", eventId, dealId, detail.get("version").asLong(), data -> {
            data.put("accountId", accountId);
            data.put("amount", new BigDecimal(amount));
            data.put("name", name);
        });
    }

    /** A sample of events/samples, by its path there (e.g. {@code valid/contact.upserted.json}). */
    public static ObjectNode sample(String relativePath) {
        try {
            return (ObjectNode) JSON.readTree(SAMPLES.resolve(relativePath).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder events/samples of this repository. */
    public static Path samples() {
        return SAMPLES;
    }

    /** The same event, written by {@code origin} (an integration's echo of its own write-back). */
    public static String withOrigin(String body, String origin) {
        try {
            ObjectNode envelope = (ObjectNode) JSON.readTree(body);
            ((ObjectNode) envelope.get("detail")).put("origin", origin);
            return envelope.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CRM-looking id no other test uses: {@code prefix} and 12 random hex digits. */
    public static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** events/samples of this repository, found from a module (tests) or the repository root (local run, benchmark). */
    private static Path findSamples() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("events/samples");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            if (Files.isRegularFile(dir.resolve("cdk.json"))) {
                break; // the repository root: never look above it
            }
        }
        throw new IllegalStateException("events/samples not found in the repository above "
                + Path.of("").toAbsolutePath());
    }
}
