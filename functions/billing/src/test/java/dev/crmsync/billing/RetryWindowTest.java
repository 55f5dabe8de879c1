package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.pipeline.SyncPipeline;
import dev.crmsync.synccore.state.LeaseToken;
import dev.crmsync.synccore.state.StateKey;
import dev.crmsync.synccore.state.SyncStateStore;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
    private final StripeSandbox stripe = StripeSandbox.shared();
    private BillingHarness harness;

    @BeforeEach
    void deploy() {
        stripe.reset();
    }

    private LocalEventSourceMapping mapping(int maxReceiveCount, Duration window) {
        harness = new BillingHarness(stripe, maxReceiveCount, 30);
        SyncConfig config = harness.config().withRetryWindow(window, maxReceiveCount);
        SyncPipeline pipeline = SyncPipeline.create(config, harness.clients(), Clock.systemUTC(), () -> 0.999_999, StripeConnector::new);
        return harness.eventSourceMapping(pipeline);
    }

    @Test
    void anOutageLongerThanTheWindowEndsInTheDlqWhenTheWindowIsOverNotAfterTheBackstop() {
        LocalEventSourceMapping esm = mapping(BACKSTOP, Duration.ofSeconds(6));
        stripe.failNext("POST", "/v1/customers", 10_000, 503);
        String account = TestEvents.unique("001");
        String eventId = "evt-" + account + "-v1";
        Instant sent = Instant.now();
        harness.send(TestEvents.accountUpserted(account, 1, "Acme"));

        esm.drain(Duration.ofSeconds(25));

        assertThat(harness.dlqMessages()).hasSize(1);
        Map<String, AttributeValue> status = harness.statusItem(eventId);
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("vendor_5xx");
        assertThat(status.get("reason").s()).contains("retry window");
        int receives = Integer.parseInt(status.get("attempts").n());
        assertThat(receives).isLessThan(BACKSTOP);
        // it was retried through the whole window, and the last retry fell just after it
        assertThat(Duration.between(sent, Instant.parse(status.get("at").s()))).isBetween(Duration.ofSeconds(6), Duration.ofSeconds(9));
        // on its way to the DLQ (visibility 0) it never called Stripe again
        assertThat(stripe.calls("POST", "/v1/customers")).hasSize(receives);
    }

    @Test
    void anOutageWithinTheWindowIsRiddenOutWithNothingInTheDlq() {
        // more failed receives than the old 8-receive budget allowed
        LocalEventSourceMapping esm = mapping(BACKSTOP, Duration.ofSeconds(40));
        stripe.failNext("POST", "/v1/customers", 9, 500);
        String account = TestEvents.unique("001");
        harness.send(TestEvents.accountUpserted(account, 1, "Acme"));

        esm.drain(Duration.ofSeconds(40));

        assertThat(harness.dlqMessages()).isEmpty();
        assertThat(stripe.customers()).hasSize(1);
        assertThat(harness.statusItem("evt-" + account + "-v1").get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void aPermanentFailureReachesTheDlqWithinSecondsWithoutCallingTheVendorOrTheTableAgain() {
        LocalEventSourceMapping esm = mapping(BACKSTOP, Duration.ofHours(7));
        stripe.rejectNext("POST", "/v1/customers", 1, 400, "invalid_request_error", "parameter_invalid_string", "Invalid string");
        String account = TestEvents.unique("001");
        harness.send(TestEvents.accountUpserted(account, 1, "Acme"));
        Instant sent = Instant.now();

        esm.pollOnce();
        harness.dynamoOperations.clear();
        esm.drain(Duration.ofSeconds(30));

        assertThat(harness.dlqMessages()).hasSize(1);
        assertThat(Duration.between(sent, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(stripe.calls("POST", "/v1/customers")).hasSize(1);
        // the receives after the give-up were refused from the container's memory: no read, no write
        assertThat(harness.dynamoOperations).isEmpty();
        assertThat(harness.statusItem("evt-" + account + "-v1").get("errorClass").s()).isEqualTo("vendor_rejected");
    }

    @Test
    void aMessageThatReachesTheDlqAfterDeferralsHasAStatusRecordSayingWhy() {
        LocalEventSourceMapping esm = mapping(3, Duration.ofHours(7));
        String account = TestEvents.unique("001");
        // another attempt holds the record for an hour (a stuck lease): every receive is deferred as busy
        SyncStateStore store = new SyncStateStore(harness.aws.dynamo(), harness.table, Clock.systemUTC(), Duration.ofDays(30));
        store.claimRecord(StateKey.record("billing", "account", account), LeaseToken.newAttempt("evt-holder"), 1,
                Instant.now().plus(Duration.ofHours(1)), new SyncStateStore.Receipt("m-holder", 1, Instant.now()));
        harness.send(TestEvents.accountUpserted(account, 2, "Acme", "evt-" + account + "-v2"));

        esm.drain(Duration.ofSeconds(20));

        assertThat(harness.dlqMessages()).hasSize(1);
        Map<String, AttributeValue> status = harness.statusItem("evt-" + account + "-v2");
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo("record_busy");
        assertThat(status.get("reason").s()).contains("evt-holder");
        assertThat(status.get("attempts").n()).isEqualTo("3");
    }
}
