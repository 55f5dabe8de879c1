package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.harness.ConcurrencyProbe;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two function instances handle two versions of one record at the same moment while Zendesk is
 * slowed down, many times over (the shared {@link ConcurrencyProbe}): Zendesk never receives the
 * older state of an organization or a user after the newer one. The version travels in the name
 * ({@code v<version>}), which is how the request log tells the versions apart.
 */
class HelpdeskConcurrencyTest {
    private static final int ROUNDS = 20;
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();
    private HelpdeskHarness harness;
    private ConcurrencyProbe probe;

    @BeforeEach
    void deploy() {
        zendesk.reset();
        harness = new HelpdeskHarness(zendesk, 10, 30);
        probe = new ConcurrencyProbe(harness);
    }

    @Test
    void twoVersionsOfAContactAtTheSameMomentNeverPutTheOlderUserOverTheNewer() {
        List<String> contacts = ids("003");
        probe.twoVersionsAtTheSameMoment(
                contacts,
                (contact, version) -> HelpdeskHarness.contactUpserted(contact, null, version, "v" + version),
                () -> zendesk.setLatency(Duration.ofMillis(40)),
                () -> zendesk.setLatency(Duration.ZERO));

        probe.assertNeverOlderAfterNewer(
                contacts, "contact", contact -> versions(harness.acceptedWrites("user", contact)));
    }

    private static List<String> ids(String prefix) {
        List<String> ids = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            ids.add(SampleEvents.unique(prefix));
        }
        return ids;
    }

    /** "… v3" (organization) or "v3 Lee" (user) → 3, in the order Zendesk accepted them. */
    private static List<Long> versions(List<JsonNode> writes) {
        return writes.stream()
                .map(w -> {
                    String name = w.get("name").asText();
                    int at = name.lastIndexOf('v');
                    return Long.parseLong(name.substring(at + 1).split(" ")[0]);
                })
                .toList();
    }
}
