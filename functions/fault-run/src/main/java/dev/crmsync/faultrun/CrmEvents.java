package dev.crmsync.faultrun;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.harness.SampleEvents;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

/**
 * The events the CRM sends about the workload's records, made from the contract's own samples
 * ({@link SampleEvents}): upserts, deletes, deal closes, and invalid input. Draws a deal's amount
 * from the workload's {@link Random}, so that the same seed makes the same events.
 */
final class CrmEvents {
    private final Random random;

    CrmEvents(Random random) {
        this.random = random;
    }

    SentEvent accountUpserted(CrmRecord account, long version) {
        String body =
                SampleEvents.event("account.upserted", eventId(account, version), account.recordId(), version, data -> {
                    data.put("name", account.label(version));
                    data.put("email", "billing@a" + account.index() + ".example");
                    data.put("domain", "a" + account.index() + ".example");
                });
        return new SentEvent(
                eventId(account, version), "account.upserted", account, version, SentEvent.Change.UPSERT, body);
    }

    SentEvent contactUpserted(CrmRecord contact, long version, String email, String accountId) {
        String body =
                SampleEvents.event("contact.upserted", eventId(contact, version), contact.recordId(), version, data -> {
                    data.put("email", email);
                    data.put("firstName", "C " + contact.index());
                    data.put("lastName", "v" + version);
                    data.put("marketingConsent", "subscribed");
                    if (accountId == null) {
                        data.remove("accountId");
                    } else {
                        data.put("accountId", accountId);
                    }
                });
        return new SentEvent(
                eventId(contact, version), "contact.upserted", contact, version, SentEvent.Change.UPSERT, body);
    }

    SentEvent deleted(CrmRecord record, String detailType, long version) {
        String body = SampleEvents.event(detailType, eventId(record, version), record.recordId(), version, data -> {});
        return new SentEvent(eventId(record, version), detailType, record, version, SentEvent.Change.DELETE, body);
    }

    SentEvent dealClosed(CrmRecord deal, int close, String accountId) {
        BigDecimal amount = BigDecimal.valueOf(10_000 + random.nextInt(990_000))
                .divide(BigDecimal.valueOf(100), 2, RoundingMode.UNNECESSARY);
        String body =
                SampleEvents.event("deal.closed", eventId(deal, close), deal.recordId(), close, (ObjectNode data) -> {
                    data.put("name", deal.label(close));
                    data.put("accountId", accountId);
                    data.put("amount", amount);
                    data.put("currency", "usd");
                    data.put("stage", "closed_won");
                });
        return new SentEvent(eventId(deal, close), "deal.closed", deal, close, SentEvent.Change.CLOSE, body);
    }

    /**
     * Invalid input, the {@code n}th: a body that is not JSON, or one of the contract's schema-invalid samples under a
     * new event id.
     */
    SentEvent invalid(int n) {
        if (n % 2 == 0) {
            String id = "malformed-" + n;
            return new SentEvent(
                    id,
                    null,
                    null,
                    0,
                    SentEvent.Change.MALFORMED,
                    "{\"detail-type\": \"account.upserted\", \"" + id + "\"");
        } else {
            String[] samples = {
                "invalid/wrong-types.json", "invalid/missing-record-id.json", "invalid/version-not-a-number.json"
            };
            ObjectNode envelope = SampleEvents.sample(samples[n % samples.length]);
            String id = "schema-invalid-" + n;
            envelope.put(
                    "id",
                    UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString());
            if (envelope.get("detail") instanceof ObjectNode detail) {
                detail.put("eventId", id);
            }
            return new SentEvent(
                    id,
                    envelope.path("detail-type").asText(),
                    null,
                    0,
                    SentEvent.Change.SCHEMA_INVALID,
                    envelope.toString());
        }
    }

    private static String eventId(CrmRecord record, long version) {
        return "evt-" + record.index() + "-v" + version;
    }

    /** The contact's e-mail address of the given generation (the first, then one per change). */
    static String email(CrmRecord contact, int generation) {
        return "c" + contact.index() + ".e" + generation + "@acme.example";
    }
}
