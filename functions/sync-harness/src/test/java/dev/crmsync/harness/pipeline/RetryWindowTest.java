package dev.crmsync.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.example.ExampleSandbox;
import dev.crmsync.synccore.state.LeaseToken;
import dev.crmsync.synccore.state.StateKey;
import dev.crmsync.synccore.state.SyncStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Retries end by time, not by count: on real local servers, a change is retried until its retry
 * window (from its first receive) is over and only then goes to the DLQ, with a status record
 * saying why — long before the queue's receive backstop; a permanent failure still gets there
 * within seconds without calling the vendor again; a message that reaches the DLQ after deferrals
 * has a status record too.
 */
class RetryWindowTest {
    private static final int BACKSTOP = 50;
    private final ExampleSandbox vendor = ExampleSandbox.shared();

    @RegisterExtension
    final LocalDeployment<ExampleHarness> local =
            LocalDeployment.of(vendor, () -> new ExampleHarness(vendor, BACKSTOP, 30));

    /** The deployment's pipeline with {@code window} as its retry window. */
    private void retryWindow(Duration window) {
        int maxReceiveCount = local.harness().maxReceiveCount;
        local.reconfigure(config -> config.withRetryWindow(window, maxReceiveCount));
    }

    @Test
    void anOutageLongerThanTheWindowEndsInTheDlqWhenTheWindowIsOverNotAfterTheBackstop() {
        retryWindow(Duration.ofSeconds(6));
        vendor.failNext("PUT", "/records/.*", 10_000, 503);
        String account = SampleEvents.unique("001");
        String eventId = "evt-" + account + "-v1";
        Instant sent = Instant.now();
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme"));

        local.esm().drain(Duration.ofSeconds(25));

        assertThat(local.harness().dlqMessages()).hasSize(1);
        Map<String, AttributeValue> status = local.harness().statusItem(eventId);
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("vendor_5xx");
        assertThat(status.get("reason").s()).contains("retry window");
        int receives = Integer.parseInt(status.get("attempts").n());
        assertThat(receives).isLessThan(BACKSTOP);
        // it was retried through the whole window, and the last retry fell just after it
        assertThat(Duration.between(sent, Instant.parse(status.get("at").s())))
                .isBetween(Duration.ofSeconds(6), Duration.ofSeconds(9));
        // on its way to the DLQ (visibility 0) it never called the vendor again
        assertThat(vendor.calls("PUT", "/records/.*")).hasSize(receives);
    }

    @Test
    void anOutageWithinTheWindowIsRiddenOutWithNothingInTheDlq() {
        // more failed receives than the old 8-receive budget allowed
        retryWindow(Duration.ofSeconds(40));
        vendor.failNext("PUT", "/records/.*", 9, 500);
        String account = SampleEvents.unique("001");
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme"));

        local.esm().drain(Duration.ofSeconds(40));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(vendor.records()).hasSize(1);
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("outcome")
                        .s())
                .isEqualTo("APPLIED");
    }

    @Test
    void aPermanentFailureReachesTheDlqWithinSecondsWithoutCallingTheVendorOrTheTableAgain() {
        retryWindow(Duration.ofHours(7));
        vendor.rejectNext("PUT", "/records/.*", 1, 400, "invalid_request", "Invalid string");
        String account = SampleEvents.unique("001");
        local.harness().send(SampleEvents.accountUpserted(account, 1, "Acme"));
        Instant sent = Instant.now();

        local.esm().pollOnce();
        local.harness().dynamoOperations.clear();
        local.esm().drain(Duration.ofSeconds(30));

        assertThat(local.harness().dlqMessages()).hasSize(1);
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(vendor.calls("PUT", "/records/.*")).hasSize(1);
        // the receives after the give-up were refused from the container's memory: no read, no write
        assertThat(local.harness().dynamoOperations).isEmpty();
        assertThat(local.harness()
                        .statusItem("evt-" + account + "-v1")
                        .get("errorClass")
                        .s())
                .isEqualTo("vendor_rejected");
    }

    @Test
    void aMessageThatReachesTheDlqAfterDeferralsHasAStatusRecordSayingWhy() {
        local.redeploy(() -> new ExampleHarness(vendor, 3, 30));
        retryWindow(Duration.ofHours(7));
        String account = SampleEvents.unique("001");
        // another attempt holds the record for an hour (a stuck lease): every receive is deferred as busy
        SyncStateStore store = new SyncStateStore(
                local.harness().aws.dynamo(), local.harness().table, Clock.systemUTC(), Duration.ofDays(30));
        store.claimRecord(
                StateKey.record(ExampleConnector.INTEGRATION, "account", account),
                LeaseToken.newAttempt("evt-holder"),
                1,
                Instant.now().plus(Duration.ofHours(1)),
                new SyncStateStore.Receipt("m-holder", 1, Instant.now()));
        local.harness().send(SampleEvents.accountUpserted(account, 2, "Acme", "evt-" + account + "-v2"));

        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).hasSize(1);
        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + account + "-v2");
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("record_busy");
        assertThat(status.get("reason").s()).contains("evt-holder");
        assertThat(status.get("attempts").n()).isEqualTo("3");
    }
}
