package dev.crmsync.harness.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.ConcurrencyProbe;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.ProcessCrash;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What every integration that performs one-time actions must do, on the local servers and its
 * vendor's sandbox: perform each action once — however often, by however many events and
 * instances it is asked for, through a 5xx, a 429, a failure after the vendor did the work and a
 * crash before the commit — dead-letter a refusal with its status item within seconds, perform a
 * redriven action once, cost two conditional writes, re-read a rotated secret once and never show one.
 *
 * <p>An integration binds it with one small class whose {@link #binding} says how to count its
 * vendor's effects; only its vendor's own cases stay beside it.
 */
public abstract class ActionSyncContract {
    private ActionSyncBinding vendor;
    protected IntegrationHarness harness;
    private LocalEventSourceMapping esm;

    /** How this integration and its vendor are read; called once per test. */
    protected abstract ActionSyncBinding binding();

    @BeforeEach
    void deploy() {
        vendor = binding();
        vendor.vendor().reset();
        redeploy(5, 30);
    }

    private void redeploy(int maxReceiveCount, int queueVisibilitySeconds) {
        harness = vendor.deploy(maxReceiveCount, queueVisibilitySeconds);
        esm = harness.eventSourceMapping(harness.pipeline());
    }

    private void deliver(String... bodies) {
        for (String body : bodies) {
            harness.send(body);
        }
        esm.drain(Duration.ofSeconds(20));
    }

    /** A new business key whose prerequisites are applied. */
    private String readyKey() {
        String key = vendor.newBusinessKey();
        List<String> before = vendor.prerequisites(key);
        if (!before.isEmpty()) {
            deliver(before.toArray(String[]::new));
        }
        return key;
    }

    private Map<String, AttributeValue> actionItem(String key) {
        return harness.actionItem(vendor.action(), key);
    }

    private void assertPerformedOnce(String key) {
        assertThat(vendor.effectsOf(key)).as("effects of " + key).isEqualTo(1);
        assertThat(actionItem(key).get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(actionItem(key)).containsKey("externalId").doesNotContainKey("leaseOwner");
        assertThat(harness.dlqMessages()).isEmpty();
    }

    @Test
    void anActionIsPerformedOnce() {
        String key = readyKey();
        deliver(vendor.actionEvent(key, "evt-" + key));

        assertPerformedOnce(key);
        assertThat(harness.statusItem("evt-" + key)).isEmpty();
    }

    @Test
    void aDuplicateDeliveryAndASecondEventForTheActionPerformItOnce() {
        String key = readyKey();
        String body = vendor.actionEvent(key, "evt-" + key);
        deliver(body, body);
        deliver(body, vendor.actionEvent(key, "evt-again-" + key));

        assertPerformedOnce(key);
        VendorCall effect = vendor.effectCall();
        assertThat(vendor.vendor().calls(effect.method(), effect.pathRegex())).hasSize(1);
        assertThat(vendor.vendor().calls()).noneMatch(RecordedCall::replayed);
    }

    @Test
    void twoEventsForTheActionAtTheSameMomentOnTwoInstancesPerformItOnce() {
        List<String> keys = List.of(readyKey(), readyKey(), readyKey(), readyKey(), readyKey());
        new ConcurrencyProbe(harness).pairsAtTheSameMoment(
                keys.stream().map(key -> List.of(vendor.actionEvent(key, "evt-a-" + key), vendor.actionEvent(key, "evt-b-" + key))).toList(),
                () -> vendor.vendor().setLatency(Duration.ofMillis(60)), () -> vendor.vendor().setLatency(Duration.ZERO));

        keys.forEach(this::assertPerformedOnce);
    }

    @Test
    void aVendor5xxIsRetriedWithGrowingVisibilityThenPerformedOnce() {
        String key = readyKey();
        VendorCall effect = vendor.effectCall();
        vendor.vendor().failNext(effect.method(), effect.pathRegex(), 3, 500);
        deliver(vendor.actionEvent(key, "evt-" + key));

        assertThat(harness.visibilityTimeouts).containsExactly(1, 2, 4);
        assertPerformedOnce(key);
        assertThat(harness.statusItem("evt-" + key).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void aRateLimitIsRetriedNoSoonerThanTheVendorAsks() {
        String key = readyKey();
        VendorCall effect = vendor.effectCall();
        vendor.vendor().rateLimitNext(effect.method(), effect.pathRegex(), 1, 3);
        harness.send(vendor.actionEvent(key, "evt-" + key));

        esm.pollOnce();
        assertThat(harness.statusItem("evt-" + key).get("errorClass").s()).isEqualTo("rate_limited");
        esm.drain(Duration.ofSeconds(20));

        ContractSteps.assertTheWaitAfterARateLimit(harness, vendor.profile().rateLimitAnswer(), 3);
        assertPerformedOnce(key);
    }

    @Test
    void aFailureAfterTheVendorDidTheWorkIsRetriedWithoutASecondEffect() {
        String key = readyKey();
        VendorCall effect = vendor.effectCall();
        vendor.vendor().failAfterWorkNext(effect.method(), effect.pathRegex(), 1, 500);
        deliver(vendor.actionEvent(key, "evt-" + key));

        assertPerformedOnce(key);
    }

    @Test
    void aCrashBetweenTheVendorCallAndTheCommitStillPerformsItOnce() {
        redeploy(4, 3);
        String key = readyKey();
        ProcessCrash crash = new ProcessCrash();
        harness.send(vendor.actionEvent(key, "evt-" + key));
        harness.eventSourceMapping(harness.pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3)).pollOnce();
        assertThat(crash.happened()).isTrue();

        // the dead instance's message comes back after its 3 s visibility timeout
        esm.drain(Duration.ofSeconds(20));

        assertPerformedOnce(key);
    }

    @Test
    void aRefusalReachesTheDlqWithinSecondsWithItsStatusItemAndARedriveAfterTheFixPerformsItOnce() throws InterruptedException {
        String key = readyKey();
        vendor.refuseNextEffects(1);
        Instant start = Instant.now();
        deliver(vendor.actionEvent(key, "evt-" + key));

        assertThat(harness.dlqMessages()).hasSize(1);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        Map<String, AttributeValue> status = harness.statusItem("evt-" + key);
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo(vendor.profile().refusalErrorClass());
        assertThat(status.get("reason").s()).contains(vendor.profile().refusalMentions());
        assertThat(vendor.effectsOf(key)).isZero();
        VendorCall effect = vendor.effectCall();
        assertThat(vendor.vendor().calls(effect.method(), effect.pathRegex())).hasSize(1);

        ContractSteps.redriveTheDlq(harness);
        esm.drain(Duration.ofSeconds(20));

        assertPerformedOnce(key);
        assertThat(harness.statusItem("evt-" + key).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void anActionCostsTwoConditionalWritesAndADuplicateOneRefusedClaim() {
        String key = readyKey();
        String body = vendor.actionEvent(key, "evt-" + key);
        harness.dynamoOperations.clear();
        deliver(body);
        assertThat(harness.count("UpdateItem")).isEqualTo(2);
        assertThat(harness.count("PutItem") + harness.count("TransactWriteItems")).isZero();

        harness.dynamoOperations.clear();
        deliver(body);
        assertThat(harness.writes()).isEqualTo(1);
    }

    @Test
    void aRotatedSecretIsReadAgainOnceAndTheActionPerformed() {
        ContractSteps.rotateTheSecret(harness, vendor.vendor(), vendor.profile().apiKey(), vendor.profile().secretFor(), () -> deliver(vendor.actionEvent(readyKey(), "evt-warm")));
        String key = readyKey();
        deliver(vendor.actionEvent(key, "evt-" + key));

        assertPerformedOnce(key);
        ContractSteps.assertTheSecretWasReadTwice(harness);
    }

    @Test
    void aSecretRefusedAgainIsUnauthorizedInTheDlqWithoutShowingIt() {
        String key = readyKey();
        vendor.vendor().revokeApiKeys(vendor.profile().apiKey());
        deliver(vendor.actionEvent(key, "evt-" + key));

        ContractSteps.assertUnauthorizedWithoutTheKey(harness, "evt-" + key, vendor.profile().apiKey());
    }
}
