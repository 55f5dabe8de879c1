package dev.crmsync.harness.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.ConcurrencyProbe;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.ProcessCrash;
import dev.crmsync.sandbox.RecordedCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
    private final ActionSyncBinding vendor = binding();

    @RegisterExtension
    final LocalDeployment<IntegrationHarness> local = LocalDeployment.of(vendor.vendor(), () -> vendor.deploy(5, 30));

    /**
     * How this integration and its vendor are read. Called once per test, while the test instance is
     * built: it must not read the binding class's own fields.
     */
    protected abstract ActionSyncBinding binding();

    /** A new business key whose prerequisites are applied. */
    private String readyKey() {
        String key = vendor.newBusinessKey();
        List<String> before = vendor.prerequisites(key);
        if (!before.isEmpty()) {
            local.deliver(before.toArray(String[]::new));
        }
        return key;
    }

    private Map<String, AttributeValue> actionItem(String key) {
        return local.harness().actionItem(vendor.action(), key);
    }

    private void assertPerformedOnce(String key) {
        assertThat(vendor.effectsOf(key)).as("effects of " + key).isEqualTo(1);
        assertThat(actionItem(key).get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(actionItem(key)).containsKey("externalId").doesNotContainKey("leaseOwner");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void anActionIsPerformedOnce() {
        String key = readyKey();
        local.deliver(vendor.actionEvent(key, "evt-" + key));

        assertPerformedOnce(key);
        assertThat(local.harness().statusItem("evt-" + key)).isEmpty();
    }

    @Test
    void aDuplicateDeliveryAndASecondEventForTheActionPerformItOnce() {
        String key = readyKey();
        String body = vendor.actionEvent(key, "evt-" + key);
        local.deliver(body, body);
        local.deliver(body, vendor.actionEvent(key, "evt-again-" + key));

        assertPerformedOnce(key);
        VendorCall effect = vendor.effectCall();
        assertThat(vendor.vendor().calls(effect.method(), effect.pathRegex())).hasSize(1);
        assertThat(vendor.vendor().calls()).noneMatch(RecordedCall::replayed);
    }

    @Test
    void twoEventsForTheActionAtTheSameMomentOnTwoInstancesPerformItOnce() {
        List<String> keys = List.of(readyKey(), readyKey(), readyKey(), readyKey(), readyKey());
        new ConcurrencyProbe(local.harness())
                .pairsAtTheSameMoment(
                        keys.stream()
                                .map(key -> List.of(
                                        vendor.actionEvent(key, "evt-a-" + key),
                                        vendor.actionEvent(key, "evt-b-" + key)))
                                .toList(),
                        () -> vendor.vendor().setLatency(Duration.ofMillis(60)),
                        () -> vendor.vendor().setLatency(Duration.ZERO));

        keys.forEach(this::assertPerformedOnce);
    }

    @Test
    void aVendor5xxIsRetriedWithGrowingVisibilityThenPerformedOnce() {
        String key = readyKey();
        VendorCall effect = vendor.effectCall();
        vendor.vendor().failNext(effect.method(), effect.pathRegex(), 3, 500);
        local.deliver(vendor.actionEvent(key, "evt-" + key));

        assertThat(local.harness().visibilityTimeouts).containsExactly(1, 2, 4);
        assertPerformedOnce(key);
        assertThat(local.harness().statusItem("evt-" + key).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void aRateLimitIsRetriedNoSoonerThanTheVendorAsks() {
        String key = readyKey();
        VendorCall effect = vendor.effectCall();
        vendor.vendor().rateLimitNext(effect.method(), effect.pathRegex(), 1, 3);
        local.harness().send(vendor.actionEvent(key, "evt-" + key));

        local.esm().pollOnce();
        assertThat(local.harness().statusItem("evt-" + key).get("errorClass").s())
                .isEqualTo("rate_limited");
        local.esm().drain(Duration.ofSeconds(20));

        ContractSteps.assertTheWaitAfterARateLimit(
                local.harness(), vendor.profile().rateLimitAnswer(), 3);
        assertPerformedOnce(key);
    }

    @Test
    void aFailureAfterTheVendorDidTheWorkIsRetriedWithoutASecondEffect() {
        String key = readyKey();
        VendorCall effect = vendor.effectCall();
        vendor.vendor().failAfterWorkNext(effect.method(), effect.pathRegex(), 1, 500);
        local.deliver(vendor.actionEvent(key, "evt-" + key));

        assertPerformedOnce(key);
    }

    @Test
    void aCrashBetweenTheVendorCallAndTheCommitStillPerformsItOnce() {
        local.redeploy(() -> vendor.deploy(4, 3));
        String key = readyKey();
        ProcessCrash crash = new ProcessCrash();
        local.harness().send(vendor.actionEvent(key, "evt-" + key));
        local.harness()
                .eventSourceMapping(local.harness().pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3))
                .pollOnce();
        assertThat(crash.happened()).isTrue();

        // the dead instance's message comes back after its 3 s visibility timeout
        local.esm().drain(Duration.ofSeconds(20));

        assertPerformedOnce(key);
    }

    @Test
    void aRefusalReachesTheDlqWithinSecondsWithItsStatusItemAndARedriveAfterTheFixPerformsItOnce()
            throws InterruptedException {
        String key = readyKey();
        vendor.refuseNextEffects(1);
        Instant start = Instant.now();
        local.deliver(vendor.actionEvent(key, "evt-" + key));

        assertThat(local.harness().dlqMessages()).hasSize(1);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + key);
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo(vendor.profile().refusalErrorClass());
        assertThat(status.get("reason").s()).contains(vendor.profile().refusalMentions());
        assertThat(vendor.effectsOf(key)).isZero();
        VendorCall effect = vendor.effectCall();
        assertThat(vendor.vendor().calls(effect.method(), effect.pathRegex())).hasSize(1);

        local.harness().redriveTheDlq();
        local.esm().drain(Duration.ofSeconds(20));

        assertPerformedOnce(key);
        assertThat(local.harness().statusItem("evt-" + key).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void anActionCostsTwoConditionalWritesAndADuplicateOneRefusedClaim() {
        String key = readyKey();
        String body = vendor.actionEvent(key, "evt-" + key);
        local.harness().dynamoOperations.clear();
        local.deliver(body);
        assertThat(local.harness().count("UpdateItem")).isEqualTo(2);
        assertThat(local.harness().count("PutItem") + local.harness().count("TransactWriteItems"))
                .isZero();

        local.harness().dynamoOperations.clear();
        local.deliver(body);
        assertThat(local.harness().writes()).isEqualTo(1);
    }

    @Test
    void aRotatedSecretIsReadAgainOnceAndTheActionPerformed() {
        ContractSteps.rotateTheSecret(
                local.harness(),
                vendor.vendor(),
                vendor.profile().apiKey(),
                vendor.profile().secretFor(),
                () -> local.deliver(vendor.actionEvent(readyKey(), "evt-warm")));
        String key = readyKey();
        local.deliver(vendor.actionEvent(key, "evt-" + key));

        assertPerformedOnce(key);
        ContractSteps.assertTheSecretWasReadTwice(local.harness());
    }

    @Test
    void aSecretRefusedAgainIsUnauthorizedInTheDlqWithoutShowingIt() {
        String key = readyKey();
        vendor.vendor().revokeApiKeys(vendor.profile().apiKey());
        local.deliver(vendor.actionEvent(key, "evt-" + key));

        ContractSteps.assertUnauthorizedWithoutTheKey(
                local.harness(), "evt-" + key, vendor.profile().apiKey());
    }
}
