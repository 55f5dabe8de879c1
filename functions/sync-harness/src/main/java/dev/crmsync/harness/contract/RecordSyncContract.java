package dev.crmsync.harness.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.ConcurrencyProbe;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.ProcessCrash;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
    private RecordSyncBinding vendor;
    protected IntegrationHarness harness;
    private LocalEventSourceMapping esm;

    /** How this integration and its vendor are read; called once per test. */
    protected abstract RecordSyncBinding binding();

    @BeforeEach
    void deploy() {
        vendor = binding();
        vendor.vendor().reset();
        harness = vendor.deploy(5, 30);
        esm = harness.eventSourceMapping(harness.pipeline());
    }

    private void deliver(String... bodies) {
        for (String body : bodies) {
            harness.send(body);
        }
        esm.drain(Duration.ofSeconds(20));
    }

    private Map<String, AttributeValue> recordItem(String recordId) {
        return harness.recordItem(vendor.object(), recordId);
    }

    private Map<String, AttributeValue> status(String recordId, long version) {
        return harness.statusItem("evt-" + recordId + "-v" + version);
    }

    @Test
    void anUpsertIsWrittenAndTheNextVersionReplacesItsState() {
        String record = vendor.newRecordId();
        deliver(vendor.upserted(record, 1, "first " + record));
        deliver(vendor.upserted(record, 2, "second " + record));

        assertThat(vendor.labelsWritten()).containsExactly("first " + record, "second " + record);
        assertThat(vendor.labelHeld(harness, record)).contains("second " + record);
        assertThat(vendor.objectsHeld()).isEqualTo(1);
        assertThat(recordItem(record).get("appliedVersion").n()).isEqualTo("2");
        assertThat(recordItem(record)).doesNotContainKeys("leaseOwner", "leaseUntil");
    }

    @Test
    void aDuplicateDeliveryIsWrittenOnce() {
        String record = vendor.newRecordId();
        String body = vendor.upserted(record, 1, "once " + record);
        deliver(body);
        VendorCall write = vendor.stateWrite();
        int writesOfTheFirst = vendor.vendor().calls(write.method(), write.pathRegex()).size();
        deliver(body, body);
        deliver(body);

        assertThat(vendor.labelsWritten()).containsExactly("once " + record);
        assertThat(vendor.objectsHeld()).isEqualTo(1);
        // the duplicates never reached the vendor, not even as a replayed request
        assertThat(vendor.vendor().calls(write.method(), write.pathRegex())).hasSize(writesOfTheFirst);
        assertThat(vendor.vendor().calls()).noneMatch(RecordedCall::replayed);
    }

    @Test
    void anOlderVersionIsSkippedAndNeverSent() {
        String record = vendor.newRecordId();
        deliver(vendor.upserted(record, 3, "v3"));
        deliver(vendor.upserted(record, 2, "v2"));
        deliver(vendor.upserted(record, 5, "v5"), vendor.upserted(record, 4, "v4"));

        assertThat(vendor.labelsWritten()).containsExactly("v3", "v5");
        assertThat(vendor.labelHeld(harness, record)).contains("v5");
        assertThat(recordItem(record).get("appliedVersion").n()).isEqualTo("5");
    }

    @Test
    void anEchoOfItsOwnWriteBackIsSkippedWithoutAVendorCall() {
        String record = vendor.newRecordId();
        deliver(SampleEvents.withOrigin(vendor.upserted(record, 1, "echo"), harness.integration));

        assertThat(vendor.vendor().calls()).isEmpty();
        assertThat(recordItem(record)).isEmpty();
        assertThat(harness.dlqMessages()).isEmpty();
    }

    @Test
    void aVendor5xxIsRetriedWithGrowingVisibilityThenApplied() {
        String record = vendor.newRecordId();
        VendorCall write = vendor.stateWrite();
        vendor.vendor().failNext(write.method(), write.pathRegex(), 3, 500);
        harness.send(vendor.upserted(record, 1, "after 5xx"));

        esm.pollOnce();
        assertThat(status(record, 1).get("outcome").s()).isEqualTo("RETRYING");
        assertThat(status(record, 1).get("errorClass").s()).isEqualTo("vendor_5xx");

        esm.drain(Duration.ofSeconds(30));
        assertThat(harness.visibilityTimeouts).containsExactly(1, 2, 4);
        assertThat(vendor.labelsWritten()).containsExactly("after 5xx");
        assertThat(status(record, 1).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void aRateLimitIsRetriedNoSoonerThanTheVendorAsks() {
        String record = vendor.newRecordId();
        VendorCall write = vendor.stateWrite();
        vendor.vendor().rateLimitNext(write.method(), write.pathRegex(), 1, 3);
        harness.send(vendor.upserted(record, 1, "after 429"));

        esm.pollOnce();
        assertThat(status(record, 1).get("errorClass").s()).isEqualTo("rate_limited");
        esm.drain(Duration.ofSeconds(20));

        ContractSteps.assertTheWaitAfterARateLimit(harness, vendor.profile().rateLimitAnswer(), 3);
        assertThat(vendor.labelsWritten()).containsExactly("after 429");
    }

    @Test
    void aPermanentRefusalReachesTheDlqWithinSecondsWithItsStatusItem() {
        String record = vendor.newRecordId();
        vendor.refuseNextWrites(50);
        harness.send(vendor.upserted(record, 1, "refused"));

        Instant start = Instant.now();
        esm.drain(Duration.ofSeconds(20));

        assertThat(harness.dlqMessages()).hasSize(1);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(status(record, 1).get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status(record, 1).get("errorClass").s()).isEqualTo(vendor.profile().refusalErrorClass());
        assertThat(status(record, 1).get("reason").s()).contains(vendor.profile().refusalMentions());
        // its later receives only count toward the DLQ: the vendor is not asked again
        VendorCall write = vendor.stateWrite();
        assertThat(vendor.vendor().calls(write.method(), write.pathRegex())).hasSize(1);
        assertThat(recordItem(record)).doesNotContainKeys("leaseOwner");
    }

    @Test
    void aRedriveAfterTheFixIsAppliedOnce() throws InterruptedException {
        String record = vendor.newRecordId();
        vendor.refuseNextWrites(1);
        deliver(vendor.upserted(record, 1, "redriven"));
        assertThat(harness.dlqMessages()).hasSize(1);

        ContractSteps.redriveTheDlq(harness);
        esm.drain(Duration.ofSeconds(20));

        assertThat(harness.dlqMessages()).isEmpty();
        assertThat(vendor.labelsWritten()).containsExactly("redriven");
        assertThat(status(record, 1).get("outcome").s()).isEqualTo("APPLIED");
        // a second redrive of the same change later is a duplicate
        deliver(vendor.upserted(record, 1, "redriven"));
        assertThat(vendor.labelsWritten()).containsExactly("redriven");
    }

    @Test
    void anAppliedChangeCostsTwoConditionalWritesAndADuplicateOneRefusedClaim() {
        String record = vendor.newRecordId();
        String body = vendor.upserted(record, 1, "cost");
        deliver(body);
        harness.assertTwoConditionalWritesOnly();

        harness.dynamoOperations.clear();
        deliver(body);
        harness.assertOneRefusedClaimOnly();
    }

    @Test
    void twoVersionsAtTheSameMomentNeverPutTheOlderStateOverTheNewer() {
        List<String> records = IntStream.range(0, 12).mapToObj(i -> vendor.newRecordId()).toList();
        new ConcurrencyProbe(harness).twoVersionsAtTheSameMoment(records,
                (record, version) -> vendor.upserted(record, version, record + " v" + version),
                () -> vendor.vendor().setLatency(Duration.ofMillis(60)), () -> vendor.vendor().setLatency(Duration.ZERO));

        new ConcurrencyProbe(harness).assertNeverOlderAfterNewer(records, vendor.object(), record -> versionsWritten(record));
        for (String record : records) {
            assertThat(vendor.labelHeld(harness, record)).contains(record + " v3");
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
        harness = vendor.deploy(4, 3);
        esm = harness.eventSourceMapping(harness.pipeline());
        String record = vendor.newRecordId();
        ProcessCrash crash = new ProcessCrash();
        harness.send(vendor.upserted(record, 1, "crashed"));
        harness.eventSourceMapping(harness.pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3)).pollOnce();
        assertThat(crash.happened()).isTrue();

        // the dead instance's message comes back after its 3 s visibility timeout
        esm.drain(Duration.ofSeconds(20));

        assertThat(vendor.objectsHeld()).isEqualTo(1);
        assertThat(vendor.labelHeld(harness, record)).contains("crashed");
        assertThat(recordItem(record).get("appliedVersion").n()).isEqualTo("1");
        assertThat(harness.dlqMessages()).isEmpty();
    }

    @Test
    void aRotatedSecretIsReadAgainOnceAndTheChangeApplied() {
        ContractSteps.rotateTheSecret(harness, vendor.vendor(), vendor.profile().apiKey(), vendor.profile().secretFor(),
                () -> deliver(vendor.upserted(vendor.newRecordId(), 1, "warm-up")));
        String record = vendor.newRecordId();
        deliver(vendor.upserted(record, 1, "after rotation"));

        assertThat(vendor.labelHeld(harness, record)).contains("after rotation");
        ContractSteps.assertTheSecretWasReadTwice(harness);
    }

    @Test
    void aSecretRefusedAgainIsUnauthorizedInTheDlqWithoutShowingIt() {
        vendor.vendor().revokeApiKeys(vendor.profile().apiKey());
        String record = vendor.newRecordId();
        deliver(vendor.upserted(record, 1, "refused key"));

        ContractSteps.assertUnauthorizedWithoutTheKey(harness, "evt-" + record + "-v1", vendor.profile().apiKey());
    }
}
