package dev.crmsync.harness.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.ConcurrencyProbe;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.ProcessCrash;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What every record-syncing integration must do, on the local servers and its vendor's sandbox:
 * apply the newest state once, skip duplicates, older versions and its own echoes, retry what a
 * retry can fix (5xx, 429) and dead-letter what it cannot (with a status item, within seconds),
 * apply a redriven change once, cost two conditional writes per change, never put an older state
 * over a newer one from two instances at once, converge after a crash between the vendor call and
 * the commit, re-read a rotated secret once, and never show a secret.
 *
 * <p>An integration binds it with one small class: {@code class XContractTest extends RecordSyncContract}
 * whose {@link #binding} says how to read its vendor. Only its vendor's own cases stay beside it.
 */
public abstract class RecordSyncContract {
    private final RecordSyncBinding vendor = binding();

    @RegisterExtension
    final LocalDeployment<IntegrationHarness> local = LocalDeployment.of(vendor.vendor(), () -> vendor.deploy(5, 30));

    /**
     * How this integration and its vendor are read. Called once per test, while the test instance is
     * built: it must not read the binding class's own fields.
     */
    protected abstract RecordSyncBinding binding();

    private Map<String, AttributeValue> recordItem(String recordId) {
        return local.harness().recordItem(vendor.object(), recordId);
    }

    private Map<String, AttributeValue> status(String recordId, long version) {
        return local.harness().statusItem(eventId(recordId, version));
    }

    private static String eventId(String recordId, long version) {
        return "evt-" + recordId + "-v" + version;
    }

    @Test
    void anUpsertIsWrittenAndTheNextVersionReplacesItsState() {
        String record = vendor.newRecordId();
        local.deliver(vendor.upserted(record, 1, "first " + record));
        local.deliver(vendor.upserted(record, 2, "second " + record));

        assertThat(vendor.labelsWritten()).containsExactly("first " + record, "second " + record);
        assertThat(vendor.labelHeld(local.harness(), record)).contains("second " + record);
        assertThat(vendor.objectsHeld()).isEqualTo(1);
        assertThat(recordItem(record).get("appliedVersion").n()).isEqualTo("2");
        assertThat(recordItem(record)).doesNotContainKeys("leaseOwner", "leaseUntil");
    }

    @Test
    void aDuplicateDeliveryIsWrittenOnce() {
        String record = vendor.newRecordId();
        String body = vendor.upserted(record, 1, "once " + record);
        local.deliver(body);
        VendorCall write = vendor.stateWrite();
        int writesOfTheFirst =
                vendor.vendor().calls(write.method(), write.pathRegex()).size();
        local.deliver(body, body);
        local.deliver(body);

        assertThat(vendor.labelsWritten()).containsExactly("once " + record);
        assertThat(vendor.objectsHeld()).isEqualTo(1);
        // the duplicates never reached the vendor, not even as a replayed request
        assertThat(vendor.vendor().calls(write.method(), write.pathRegex())).hasSize(writesOfTheFirst);
        assertThat(vendor.vendor().calls()).noneMatch(RecordedCall::replayed);
    }

    @Test
    void anOlderVersionIsSkippedAndNeverSent() {
        String record = vendor.newRecordId();
        local.deliver(vendor.upserted(record, 3, "v3"));
        local.deliver(vendor.upserted(record, 2, "v2"));
        local.deliver(vendor.upserted(record, 5, "v5"), vendor.upserted(record, 4, "v4"));

        assertThat(vendor.labelsWritten()).containsExactly("v3", "v5");
        assertThat(vendor.labelHeld(local.harness(), record)).contains("v5");
        assertThat(recordItem(record).get("appliedVersion").n()).isEqualTo("5");
    }

    @Test
    void anEchoOfItsOwnWriteBackIsSkippedWithoutAVendorCall() {
        String record = vendor.newRecordId();
        local.deliver(SampleEvents.withOrigin(vendor.upserted(record, 1, "echo"), local.harness().integration));

        assertThat(vendor.vendor().calls()).isEmpty();
        assertThat(recordItem(record)).isEmpty();
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aVendor5xxIsRetriedWithGrowingVisibilityThenApplied() {
        String record = vendor.newRecordId();
        VendorCall write = vendor.stateWrite();
        vendor.vendor().failNext(write.method(), write.pathRegex(), 3, 500);
        local.harness().send(vendor.upserted(record, 1, "after 5xx"));

        local.esm().pollOnce();
        assertThat(status(record, 1).get("outcome").s()).isEqualTo("RETRYING");
        assertThat(status(record, 1).get("errorClass").s()).isEqualTo("vendor_5xx");

        local.esm().drain(Duration.ofSeconds(30));
        assertThat(local.harness().visibilityTimeouts).containsExactly(1, 2, 4);
        assertThat(vendor.labelsWritten()).containsExactly("after 5xx");
        assertThat(status(record, 1).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void aRateLimitIsRetriedNoSoonerThanTheVendorAsks() {
        String record = vendor.newRecordId();
        VendorCall write = vendor.stateWrite();
        vendor.vendor().rateLimitNext(write.method(), write.pathRegex(), 1, 3);
        local.harness().send(vendor.upserted(record, 1, "after 429"));

        local.esm().pollOnce();
        assertThat(status(record, 1).get("errorClass").s()).isEqualTo("rate_limited");
        local.esm().drain(Duration.ofSeconds(20));

        ContractSteps.assertTheWaitAfterARateLimit(
                local.harness(), vendor.profile().rateLimitAnswer(), 3);
        assertThat(vendor.labelsWritten()).containsExactly("after 429");
    }

    @Test
    void aPermanentRefusalReachesTheDlqWithinSecondsWithItsStatusItem() {
        String record = vendor.newRecordId();
        vendor.refuseNextWrites(50);
        local.harness().send(vendor.upserted(record, 1, "refused"));

        Map<String, AttributeValue> status =
                local.drainToTheDlq(eventId(record, 1), vendor.profile().refusalErrorClass(), 1);
        assertThat(status.get("reason").s()).contains(vendor.profile().refusalMentions());
        // its later receives only count toward the DLQ: the vendor is not asked again
        VendorCall write = vendor.stateWrite();
        assertThat(vendor.vendor().calls(write.method(), write.pathRegex())).hasSize(1);
        assertThat(recordItem(record)).doesNotContainKeys("leaseOwner");
    }

    @Test
    void aRedriveAfterTheFixIsAppliedOnce() throws InterruptedException {
        String record = vendor.newRecordId();
        vendor.refuseNextWrites(1);
        local.deliver(vendor.upserted(record, 1, "redriven"));
        assertThat(local.harness().dlqMessages()).hasSize(1);

        local.harness().redriveTheDlq();
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(vendor.labelsWritten()).containsExactly("redriven");
        assertThat(status(record, 1).get("outcome").s()).isEqualTo("APPLIED");
        // a second redrive of the same change later is a duplicate
        local.deliver(vendor.upserted(record, 1, "redriven"));
        assertThat(vendor.labelsWritten()).containsExactly("redriven");
    }

    @Test
    void anAppliedChangeCostsTwoConditionalWritesAndADuplicateOneRefusedClaim() {
        String record = vendor.newRecordId();
        String body = vendor.upserted(record, 1, "cost");
        local.deliver(body);
        local.harness().assertTwoConditionalWritesOnly();

        local.harness().dynamoOperations.clear();
        local.deliver(body);
        local.harness().assertOneRefusedClaimOnly();
    }

    @Test
    void twoVersionsAtTheSameMomentNeverPutTheOlderStateOverTheNewer() {
        List<String> records =
                IntStream.range(0, 12).mapToObj(i -> vendor.newRecordId()).toList();
        new ConcurrencyProbe(local.harness())
                .twoVersionsAtTheSameMoment(
                        records,
                        (record, version) -> vendor.upserted(record, version, record + " v" + version),
                        () -> vendor.vendor().setLatency(Duration.ofMillis(60)),
                        () -> vendor.vendor().setLatency(Duration.ZERO));

        new ConcurrencyProbe(local.harness())
                .assertNeverOlderAfterNewer(records, vendor.object(), record -> versionsWritten(record));
        for (String record : records) {
            assertThat(vendor.labelHeld(local.harness(), record)).contains(record + " v3");
        }
    }

    private List<Long> versionsWritten(String record) {
        List<Long> versions = new ArrayList<>();
        for (String label : vendor.labelsWritten()) {
            if (label.startsWith(record + " v")) {
                versions.add(Long.parseLong(label.substring((record + " v").length())));
            }
        }
        return versions;
    }

    @Test
    void aCrashBetweenTheVendorCallAndTheCommitConvergesOnOneObject() {
        local.redeploy(() -> vendor.deploy(4, 3));
        String record = vendor.newRecordId();
        ProcessCrash crash = new ProcessCrash();
        local.harness().send(vendor.upserted(record, 1, "crashed"));
        local.harness()
                .eventSourceMapping(local.harness().pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3))
                .pollOnce();
        assertThat(crash.happened()).isTrue();

        // the dead instance's message comes back after its 3 s visibility timeout
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(vendor.objectsHeld()).isEqualTo(1);
        assertThat(vendor.labelHeld(local.harness(), record)).contains("crashed");
        assertThat(recordItem(record).get("appliedVersion").n()).isEqualTo("1");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aRotatedSecretIsReadAgainOnceAndTheChangeApplied() {
        ContractSteps.rotateTheSecret(
                local.harness(),
                vendor.vendor(),
                vendor.profile().apiKey(),
                vendor.profile().secretFor(),
                () -> local.deliver(vendor.upserted(vendor.newRecordId(), 1, "warm-up")));
        String record = vendor.newRecordId();
        local.deliver(vendor.upserted(record, 1, "after rotation"));

        assertThat(vendor.labelHeld(local.harness(), record)).contains("after rotation");
        ContractSteps.assertTheSecretWasReadTwice(local.harness());
    }

    @Test
    void aSecretRefusedAgainIsUnauthorizedInTheDlqWithoutShowingIt() {
        vendor.vendor().revokeApiKeys(vendor.profile().apiKey());
        String record = vendor.newRecordId();
        local.deliver(vendor.upserted(record, 1, "refused key"));

        ContractSteps.assertUnauthorizedWithoutTheKey(
                local.harness(), "evt-" + record + "-v1", vendor.profile().apiKey());
    }
}
