package dev.crmsync.synccore.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testkit.LocalAws;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The claim/commit protocol against dynalite: each outcome decided by one conditional write (and, on dynalite, the read after a refusal). */
class SyncStateStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final LocalAws aws = LocalAws.get();
    private SyncStateStore store;
    private String table;
    private String pk;

    @BeforeEach
    void freshTable() {
        table = aws.createStateTable("state-" + UUID.randomUUID());
        store = new SyncStateStore(aws.dynamo(), table, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(30));
        pk = StateKey.record("billing", "account", "001-" + UUID.randomUUID());
    }

    private Instant lease() {
        return NOW.plusSeconds(60);
    }

    @Test
    void firstClaimSucceedsWithNoMapping() {
        assertThat(store.claimRecord(pk, "e1", 1, lease()))
                .isEqualTo(new Claim.Claimed(java.util.Optional.empty(), Map.of(), false, java.util.Optional.empty()));
    }

    @Test
    void sameEventAfterCommitIsADuplicateAndOlderIsStale() {
        store.claimRecord(pk, "e2", 2, lease());
        assertThat(store.commitRecord(pk, "e2", 2, "cus_1", Map.of())).isTrue();

        assertThat(store.claimRecord(pk, "e2", 2, lease())).isEqualTo(new Claim.Duplicate("e2"));
        assertThat(store.claimRecord(pk, "e1", 1, lease())).isEqualTo(new Claim.Stale(2));
        assertThat(store.claimRecord(pk, "e2bis", 2, lease())).isEqualTo(new Claim.Stale(2));
    }

    @Test
    void newerClaimReturnsTheMapping() {
        store.claimRecord(pk, "e1", 1, lease());
        store.commitRecord(pk, "e1", 1, "cus_1", Map.of("k", "v"));
        Claim claim = store.claimRecord(pk, "e3", 3, lease());
        assertThat(claim).isEqualTo(new Claim.Claimed(java.util.Optional.of("cus_1"), Map.of("k", "v"), false, java.util.Optional.empty()));
    }

    @Test
    void liveLeaseOfOlderVersionMeansBusyAndOfNewerMeansSuperseded() {
        store.claimRecord(pk, "e5", 5, lease());
        assertThat(store.claimRecord(pk, "e7", 7, lease())).isEqualTo(new Claim.Busy("e5", 5, lease()));
        assertThat(store.claimRecord(pk, "e4", 4, lease())).isEqualTo(new Claim.Superseded("e5", 5));
        assertThat(store.claimRecord(pk, "e5bis", 5, lease())).isEqualTo(new Claim.Superseded("e5", 5));
    }

    @Test
    void ownEventInALiveLeaseIsBusyNeverSuperseded() {
        // the earlier attempt may have died: skipping would delete a message never applied
        store.claimRecord(pk, "e5", 5, lease());
        assertThat(store.claimRecord(pk, "e5", 5, lease())).isEqualTo(new Claim.Busy("e5", 5, lease()));
    }

    @Test
    void expiredLeaseIsTakenOverAndSaysSo() {
        store.claimRecord(pk, "e5", 5, NOW.minusSeconds(1));
        Claim claim = store.claimRecord(pk, "e6", 6, lease());
        assertThat(claim).isInstanceOf(Claim.Claimed.class);
        assertThat(((Claim.Claimed) claim).tookOverLease()).isTrue();
        assertThat(((Claim.Claimed) claim).earlierAttemptUncommitted()).isTrue();
        // the first owner lost its lease: its commit must not land
        assertThat(store.commitRecord(pk, "e5", 5, "cus_old", Map.of())).isFalse();
        assertThat(store.commitRecord(pk, "e6", 6, "cus_new", Map.of())).isTrue();
    }

    @Test
    void releaseUnblocksANewerEvent() {
        store.claimRecord(pk, "e5", 5, lease());
        store.release(pk, "e5");
        assertThat(store.claimRecord(pk, "e6", 6, lease())).isInstanceOf(Claim.Claimed.class);
    }

    @Test
    void aReleasedFailureIsRememberedForTheSameEventUntilItCommits() {
        store.claimRecord(pk, "e5", 5, lease());
        store.release(pk, "e5");
        assertThat(store.claimRecord(pk, "e5", 5, lease())).isEqualTo(new Claim.Claimed(java.util.Optional.empty(), Map.of(), false, java.util.Optional.of("e5")));
        store.commitRecord(pk, "e5", 5, "cus_5", Map.of());
        assertThat(store.claimRecord(pk, "e6", 6, lease())).isEqualTo(new Claim.Claimed(java.util.Optional.of("cus_5"), Map.of(), false, java.util.Optional.empty()));
    }

    @Test
    void actionIsClaimedOnceAndCompletedOnce() {
        String action = StateKey.action("billing", "invoice", "006-" + UUID.randomUUID());
        assertThat(store.claimAction(action, "e1", lease())).isInstanceOf(Claim.Claimed.class);
        assertThat(store.claimAction(action, "e2", lease())).isEqualTo(new Claim.Busy("e1", 0, lease()));
        assertThat(store.commitAction(action, "e1", "in_1", Map.of("invoice", "in_1"))).isTrue();
        assertThat(store.claimAction(action, "e2", lease())).isEqualTo(new Claim.Duplicate("e1"));
    }

    @Test
    void batchReadOfMappingsReturnsOnlyKnownRecords() {
        store.claimRecord(pk, "e1", 1, lease());
        store.commitRecord(pk, "e1", 1, "cus_9", Map.of());
        String unknown = StateKey.record("billing", "account", "nope");
        assertThat(store.externalIds(List.of(pk, unknown, pk))).containsExactly(Map.entry(pk, "cus_9"));
    }

    @Test
    void statusRecordExpiresByItsTtlAsJudgedByTheClock() {
        store.putStatus(new SyncStatus("billing", "e1", "account.upserted", "001", "m1", "FAILED_PERMANENT", 1,
                "schema_invalid", "recordId missing", NOW));
        assertThat(store.status("billing", "e1")).get().extracting(SyncStatus::reason).isEqualTo("recordId missing");

        SyncStateStore later = new SyncStateStore(aws.dynamo(), table, Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC), Duration.ofDays(30));
        assertThat(later.status("billing", "e1")).isEmpty();
    }
}
