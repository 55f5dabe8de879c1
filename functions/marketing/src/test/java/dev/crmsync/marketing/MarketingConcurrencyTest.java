package dev.crmsync.marketing;

import static dev.crmsync.marketing.MarketingHarness.LIST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.ConcurrencyProbe;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Two function instances at the same moment: two versions of one contact never leave the older
 * state in Mailchimp (the shared {@link ConcurrencyProbe}); and two instances at the deployed bound
 * of vendor calls per invocation stay within Mailchimp's 10 simultaneous connections.
 */
class MarketingConcurrencyTest {
    private static final int ROUNDS = 20;
    private final MailchimpSandbox mailchimp = MailchimpSandbox.shared();
    private MarketingHarness harness;

    @BeforeEach
    void deploy() {
        mailchimp.reset();
        harness = new MarketingHarness(mailchimp, 10, 30);
    }

    @Test
    void twoInstancesAtTheDeployedBoundStayWithinTenSimultaneousConnections() {
        // as the catalog deploys marketing: 2 concurrent invocations × 5 vendor calls each
        harness.environment.put("CRM_SYNC_MAX_CONCURRENCY", "5");
        LocalEventSourceMapping a =
                harness.eventSourceMapping(harness.pipeline()).batchSize(10);
        LocalEventSourceMapping b =
                harness.eventSourceMapping(harness.pipeline()).batchSize(10);
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String contact = SampleEvents.unique("003");
            emails.add(contact + "@b.example");
            harness.send(MarketingHarness.upserted(contact, 1, contact + "@b.example", "C" + i));
        }
        List<Message> first = receive(a, 10);
        List<Message> second = receive(b, 10);
        mailchimp.setLatency(Duration.ofMillis(300));
        // two threads of their own: the common pool may have a single worker on a small machine
        ExecutorService instances = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture.allOf(
                            CompletableFuture.runAsync(() -> a.invoke(first), instances),
                            CompletableFuture.runAsync(() -> b.invoke(second), instances))
                    .join();
        } finally {
            instances.shutdown();
            mailchimp.setLatency(Duration.ZERO);
        }

        assertThat(mailchimp.peakInFlight()).isBetween(6, MailchimpSandbox.DEFAULT_CONNECTION_LIMIT);
        assertThat(mailchimp.calls().stream().filter(c -> c.status() == 429)).isEmpty();
        for (String email : emails) {
            assertThat(mailchimp.member(LIST_ID, email)).as(email).isPresent();
        }
    }

    private static List<Message> receive(LocalEventSourceMapping esm, int count) {
        List<Message> received = new ArrayList<>();
        for (int tries = 0; received.size() < count && tries < 50; tries++) {
            received.addAll(esm.receive(count - received.size()));
        }
        assertThat(received).hasSize(count);
        return received;
    }
}
