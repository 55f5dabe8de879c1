package dev.crmsync.synccore.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Why a claim was refused, decided from the item as it stood — the same function whether the image
 * came back with the failed write (DynamoDB, LocalStack) or from the read after it (dynalite). No server.
 */
class ClaimRefusalTest {
    private static final Instant UNTIL = Instant.parse("2026-12-01T10:01:00Z");
    private static final SyncStateStore.Receipt AT_2 = new SyncStateStore.Receipt("m", 2, Instant.EPOCH);
    private static final Instant SINCE = Instant.parse("2026-12-01T09:55:00Z");

    private static Map<String, AttributeValue> item(Object... pairs) {
        Map<String, AttributeValue> item = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            item.put(
                    (String) pairs[i],
                    v instanceof Number n ? AttributeValue.fromN(n.toString()) : AttributeValue.fromS((String) v));
        }
        return item;
    }

    @Test
    void sameEventAlreadyAppliedIsADuplicate() {
        var applied = item("appliedVersion", 5, "appliedEventId", "e5");
        assertThat(ClaimRefusal.ofRecord(applied, "e5", 5, AT_2, SINCE)).isEqualTo(new Claim.Duplicate("e5", Set.of()));
    }

    @Test
    void versionNotNewerThanTheAppliedOneIsStale() {
        var applied = item("appliedVersion", 5, "appliedEventId", "e5");
        assertThat(ClaimRefusal.ofRecord(applied, "e4", 4, AT_2, SINCE)).isEqualTo(new Claim.Stale(5, Set.of()));
        assertThat(ClaimRefusal.ofRecord(applied, "e5-other", 5, AT_2, SINCE)).isEqualTo(new Claim.Stale(5, Set.of()));
    }

    @Test
    void liveLeaseOfTheSameOrANewerVersionSupersedesThisEvent() {
        var leased =
                item("appliedVersion", 1, "leaseEvent", "e7", "leaseVersion", 7, "leaseUntil", UNTIL.toEpochMilli());
        assertThat(ClaimRefusal.ofRecord(leased, "e6", 6, AT_2, SINCE))
                .isEqualTo(new Claim.Superseded("e7", 7, Set.of()));
        assertThat(ClaimRefusal.ofRecord(leased, "e7-other", 7, AT_2, SINCE))
                .isEqualTo(new Claim.Superseded("e7", 7, Set.of()));
    }

    @Test
    void aReleasedAttemptAtANewerVersionOvertakesThisOlderOne() {
        var released = item("appliedVersion", 1, "attemptedVersion", 7, "attemptedEventId", "e7");
        assertThat(ClaimRefusal.ofRecord(released, "e6", 6, AT_2, SINCE))
                .isEqualTo(new Claim.Overtaken("e7", 7, Set.of()));
    }

    @Test
    void liveLeaseOfAnOlderVersionIsBusy() {
        var leased = item("leaseEvent", "e3", "leaseVersion", 3, "leaseUntil", UNTIL.toEpochMilli());
        assertThat(ClaimRefusal.ofRecord(leased, "e4", 4, AT_2, SINCE)).isEqualTo(new Claim.Busy("e3", 3, UNTIL));
    }

    @Test
    void ownLiveLeaseIsBusyNeverSuperseded() {
        var leased = item("leaseEvent", "e7", "leaseVersion", 7, "leaseUntil", UNTIL.toEpochMilli());
        assertThat(ClaimRefusal.ofRecord(leased, "e7", 7, AT_2, SINCE)).isEqualTo(new Claim.Busy("e7", 7, UNTIL));
    }

    @Test
    void itemThatChangedBeforeTheReadIsBusyNotASkip() {
        // the lease was released between the refused write and the read: retry soon, skip nothing
        var released = item("appliedVersion", 2, "appliedEventId", "e2");
        assertThat(ClaimRefusal.ofRecord(released, "e3", 3, AT_2, SINCE))
                .isEqualTo(new Claim.Busy("", -1, Instant.EPOCH));
    }

    @Test
    void completedActionIsADuplicate() {
        var done = item("actionStatus", "COMPLETED", "appliedEventId", "evt-a");
        assertThat(ClaimRefusal.ofAction(done, "evt-x", AT_2, SINCE)).isEqualTo(new Claim.Duplicate("evt-a", Set.of()));
    }

    @Test
    void leasedActionIsBusy() {
        var leased = item("leaseEvent", "evt-b", "leaseVersion", 0, "leaseUntil", UNTIL.toEpochMilli());
        assertThat(ClaimRefusal.ofAction(leased, "evt-x", AT_2, SINCE)).isEqualTo(new Claim.Busy("evt-b", 0, UNTIL));
    }

    @Test
    void thisMessageThatJustGaveUpIsRefusedAtOnceAndLaterTriedAgain() {
        long recent = SINCE.plusSeconds(60).toEpochMilli();
        var gaveUp = item(
                "gaveUpMessageId",
                "m",
                "gaveUpAt",
                recent,
                "gaveUpErrorClass",
                "vendor_rejected",
                "gaveUpReceiveCount",
                1);
        assertThat(ClaimRefusal.ofRecord(gaveUp, "e3", 3, AT_2, SINCE))
                .isEqualTo(new Claim.FailedPermanently("vendor_rejected"));
        assertThat(ClaimRefusal.ofAction(gaveUp, "e3", AT_2, SINCE))
                .isEqualTo(new Claim.FailedPermanently("vendor_rejected"));
        // another message, or the same one long after: not refused for that
        assertThat(ClaimRefusal.ofRecord(gaveUp, "e3", 3, new SyncStateStore.Receipt("other", 2, Instant.EPOCH), SINCE))
                .isInstanceOf(Claim.Busy.class);
        assertThat(ClaimRefusal.ofRecord(gaveUp, "e3", 3, AT_2, SINCE.plusSeconds(120)))
                .isInstanceOf(Claim.Busy.class);
        // the same message redriven from the DLQ starts its receive count again: tried again
        assertThat(ClaimRefusal.ofRecord(gaveUp, "e3", 3, new SyncStateStore.Receipt("m", 1, Instant.EPOCH), SINCE))
                .isInstanceOf(Claim.Busy.class);
    }

    @Test
    void aRefusalCarriesTheItemsFailedEventsSoASkipCanCorrectTheirStatus() {
        Map<String, AttributeValue> applied = item("appliedVersion", 5, "appliedEventId", "e5");
        applied.put("failedEvents", AttributeValue.fromSs(java.util.List.of("e4", "e5")));
        assertThat(ClaimRefusal.ofRecord(applied, "e5", 5, AT_2, SINCE))
                .isEqualTo(new Claim.Duplicate("e5", Set.of("e4", "e5")));
        assertThat(ClaimRefusal.ofRecord(applied, "e4", 4, AT_2, SINCE))
                .isEqualTo(new Claim.Stale(5, Set.of("e4", "e5")));
        assertThat(ClaimRefusal.ofRecord(applied, "e3", 3, AT_2, SINCE))
                .isEqualTo(new Claim.Stale(5, Set.of("e4", "e5")));
    }
}
