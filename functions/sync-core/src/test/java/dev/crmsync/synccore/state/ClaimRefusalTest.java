package dev.crmsync.synccore.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Why a claim was refused, decided from the item as it stood — the same function whether the image
 * came back with the failed write (DynamoDB, LocalStack) or from the read after it (dynalite). No server.
 */
class ClaimRefusalTest {
    private static final Instant UNTIL = Instant.parse("2026-12-01T10:01:00Z");

    private static Map<String, AttributeValue> item(Object... pairs) {
        Map<String, AttributeValue> item = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            item.put((String) pairs[i], v instanceof Number n ? AttributeValue.fromN(n.toString()) : AttributeValue.fromS((String) v));
        }
        return item;
    }

    @Test
    void sameEventAlreadyAppliedIsADuplicate() {
        var applied = item("appliedVersion", 5, "appliedEventId", "e5");
        assertThat(ClaimRefusal.ofRecord(applied, "e5", 5)).isEqualTo(new Claim.Duplicate("e5"));
    }

    @Test
    void versionNotNewerThanTheAppliedOneIsStale() {
        var applied = item("appliedVersion", 5, "appliedEventId", "e5");
        assertThat(ClaimRefusal.ofRecord(applied, "e4", 4)).isEqualTo(new Claim.Stale(5));
        assertThat(ClaimRefusal.ofRecord(applied, "e5-other", 5)).isEqualTo(new Claim.Stale(5));
    }

    @Test
    void liveLeaseOfTheSameOrANewerVersionSupersedesThisEvent() {
        var leased = item("appliedVersion", 1, "leaseOwner", "e7", "leaseVersion", 7, "leaseUntil", UNTIL.toEpochMilli());
        assertThat(ClaimRefusal.ofRecord(leased, "e6", 6)).isEqualTo(new Claim.Superseded("e7", 7));
        assertThat(ClaimRefusal.ofRecord(leased, "e7-other", 7)).isEqualTo(new Claim.Superseded("e7", 7));
    }

    @Test
    void liveLeaseOfAnOlderVersionIsBusy() {
        var leased = item("leaseOwner", "e3", "leaseVersion", 3, "leaseUntil", UNTIL.toEpochMilli());
        assertThat(ClaimRefusal.ofRecord(leased, "e4", 4)).isEqualTo(new Claim.Busy("e3", 3, UNTIL));
    }

    @Test
    void ownLiveLeaseIsBusyNeverSuperseded() {
        var leased = item("leaseOwner", "e7", "leaseVersion", 7, "leaseUntil", UNTIL.toEpochMilli());
        assertThat(ClaimRefusal.ofRecord(leased, "e7", 7)).isEqualTo(new Claim.Busy("e7", 7, UNTIL));
    }

    @Test
    void itemThatChangedBeforeTheReadIsBusyNotASkip() {
        // the lease was released between the refused write and the read: retry soon, skip nothing
        var released = item("appliedVersion", 2, "appliedEventId", "e2");
        assertThat(ClaimRefusal.ofRecord(released, "e3", 3)).isEqualTo(new Claim.Busy("", -1, Instant.EPOCH));
    }

    @Test
    void completedActionIsADuplicate() {
        var done = item("actionStatus", "COMPLETED", "appliedEventId", "evt-a");
        assertThat(ClaimRefusal.ofAction(done)).isEqualTo(new Claim.Duplicate("evt-a"));
    }

    @Test
    void leasedActionIsBusy() {
        var leased = item("leaseOwner", "evt-b", "leaseVersion", 0, "leaseUntil", UNTIL.toEpochMilli());
        assertThat(ClaimRefusal.ofAction(leased)).isEqualTo(new Claim.Busy("evt-b", 0, UNTIL));
    }
}
