package dev.crmsync.synccore.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.testkit.LocalAws;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The claim/commit protocol against dynalite: each outcome decided by one conditional write (and,
 * on dynalite, the read after a refusal).
 */
class SyncStateStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    /** When the messages of these tests were first received: before anything they do. */
    private static final Instant FIRST_RECEIVED = NOW.minusSeconds(60);

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

    private static LeaseToken attempt(String eventId) {
        return LeaseToken.newAttempt(eventId);
    }

    private Claim claim(LeaseToken token, long version) {
        return store.claimRecord(pk, token, version, lease(), receipt("msg-" + token.eventId(), 1));
    }

    private static SyncStateStore.Receipt receipt(String messageId, int receiveCount) {
        return new SyncStateStore.Receipt(messageId, receiveCount, FIRST_RECEIVED);
    }

    private static SyncStateStore.Applied applied(String externalId) {
        return new SyncStateStore.Applied(externalId, Map.of(), 0);
    }

    @Test
    void firstClaimSucceedsWithNoMapping() {
        assertThat(claim(attempt("e1"), 1))
                .isEqualTo(new Claim.Claimed(Optional.empty(), Map.of(), false, Set.of(), 0));
    }

    @Test
    void sameEventAfterCommitIsADuplicateAndOlderIsStale() {
        LeaseToken e2 = attempt("e2");
        claim(e2, 2);
        assertThat(store.commitRecord(pk, e2, 2, applied("cus_1"))).isTrue();

        assertThat(claim(attempt("e2"), 2)).isEqualTo(new Claim.Duplicate("e2", Set.of()));
        assertThat(claim(attempt("e1"), 1)).isEqualTo(new Claim.Stale(2, Set.of()));
        assertThat(claim(attempt("e2bis"), 2)).isEqualTo(new Claim.Stale(2, Set.of()));
    }

    @Test
    void newerClaimReturnsTheMappingAndKeyGeneration() {
        LeaseToken e1 = attempt("e1");
        claim(e1, 1);
        store.commitRecord(pk, e1, 1, new SyncStateStore.Applied("cus_1", Map.of("k", "v"), 2));
        assertThat(claim(attempt("e3"), 3))
                .isEqualTo(new Claim.Claimed(Optional.of("cus_1"), Map.of("k", "v"), false, Set.of(), 2));
    }

    @Test
    void liveLeaseOfOlderVersionMeansBusyAndOfNewerMeansSuperseded() {
        claim(attempt("e5"), 5);
        assertThat(claim(attempt("e7"), 7)).isEqualTo(new Claim.Busy("e5", 5, lease()));
        assertThat(claim(attempt("e4"), 4)).isEqualTo(new Claim.Superseded("e5", 5, Set.of()));
        assertThat(claim(attempt("e5bis"), 5)).isEqualTo(new Claim.Superseded("e5", 5, Set.of()));
    }

    @Test
    void anOlderVersionIsNeverClaimedAfterAFailedAttemptAtANewerOneWhichMayHaveReachedTheVendor() {
        // e5's vendor call timed out (or answered 5xx after doing the work): the vendor may hold version 5
        LeaseToken e5 = attempt("e5");
        claim(e5, 5);
        store.release(pk, e5);
        assertThat(claim(attempt("e4"), 4)).isEqualTo(new Claim.Overtaken("e5", 5, Set.of("e5")));

        // the same after a crash: the lease expired and was never released; its version still counts
        LeaseToken e7 = attempt("e7");
        store.claimRecord(pk, e7, 7, NOW.minusSeconds(1), receipt("m7", 1));
        assertThat(claim(attempt("e6"), 6)).isEqualTo(new Claim.Superseded("e7", 7, Set.of("e5")));

        // the attempted version itself, and newer ones, are claimed as before
        assertThat(claim(attempt("e7"), 7)).isInstanceOf(Claim.Claimed.class);
    }

    @Test
    void ownEventInALiveLeaseIsBusyNeverSuperseded() {
        // the earlier attempt may have died: skipping would delete a message never applied
        claim(attempt("e5"), 5);
        assertThat(claim(attempt("e5"), 5)).isEqualTo(new Claim.Busy("e5", 5, lease()));
    }

    @Test
    void expiredLeaseIsTakenOverAndSaysSo() {
        LeaseToken first = attempt("e5");
        store.claimRecord(pk, first, 5, NOW.minusSeconds(1), receipt("m5", 1));
        LeaseToken second = attempt("e6");
        Claim claim = claim(second, 6);
        assertThat(claim).isInstanceOf(Claim.Claimed.class);
        assertThat(((Claim.Claimed) claim).tookOverLease()).isTrue();
        assertThat(((Claim.Claimed) claim).earlierAttemptUncommitted()).isTrue();
        // the first owner lost its lease: its commit must not land
        assertThat(store.commitRecord(pk, first, 5, applied("cus_old"))).isFalse();
        assertThat(store.commitRecord(pk, second, 6, applied("cus_new"))).isTrue();
    }

    @Test
    void aStragglerOfAnEarlierAttemptOfTheSameEventCanNeitherReleaseNorCommitTheLaterAttemptsLease() {
        LeaseToken abandoned = attempt("e5");
        store.claimRecord(pk, abandoned, 5, NOW.minusSeconds(1), receipt("m5", 1));
        LeaseToken retry = attempt("e5");
        assertThat(claim(retry, 5)).isInstanceOf(Claim.Claimed.class);

        // the thread abandoned at the earlier deadline wakes up and tries to finish
        store.release(pk, abandoned);
        assertThat(store.commitRecord(pk, abandoned, 5, applied("cus_straggler")))
                .isFalse();
        // the retry's lease still stands: a newer version cannot claim while the retry's calls may be in flight
        assertThat(claim(attempt("e6"), 6)).isInstanceOf(Claim.Busy.class);
        assertThat(store.commitRecord(pk, retry, 5, applied("cus_retry"))).isTrue();
        assertThat(item().get("externalId").s()).isEqualTo("cus_retry");
    }

    @Test
    void releaseUnblocksANewerEvent() {
        LeaseToken e5 = attempt("e5");
        claim(e5, 5);
        store.release(pk, e5);
        assertThat(claim(attempt("e6"), 6)).isInstanceOf(Claim.Claimed.class);
    }

    @Test
    void aReleasedFailureIsRememberedForTheSameEventUntilItCommits() {
        LeaseToken first = attempt("e5");
        claim(first, 5);
        store.release(pk, first);
        LeaseToken second = attempt("e5");
        assertThat(claim(second, 5)).isEqualTo(new Claim.Claimed(Optional.empty(), Map.of(), false, Set.of("e5"), 0));
        store.commitRecord(pk, second, 5, applied("cus_5"));
        assertThat(claim(attempt("e6"), 6))
                .isEqualTo(new Claim.Claimed(Optional.of("cus_5"), Map.of(), false, Set.of(), 0));
    }

    @Test
    void aMessageThatGaveUpIsRefusedAtOnceOnItsWayToTheDlq() {
        LeaseToken first = attempt("e5");
        store.claimRecord(pk, first, 5, lease(), receipt("m5", 1));
        assertThat(store.giveUp(pk, "e5", receipt("m5", 1), "vendor_rejected", Optional.of(first)))
                .isTrue();

        // its next receives (visibility 0, on the way to the DLQ) are refused without a vendor call
        assertThat(store.claimRecord(pk, attempt("e5"), 5, lease(), receipt("m5", 2)))
                .isEqualTo(new Claim.FailedPermanently("vendor_rejected"));
        // a second give-up of the same message is recognised as such (its status is not written again)
        assertThat(store.giveUp(pk, "e5", receipt("m5", 3), "vendor_rejected", Optional.empty()))
                .isFalse();
        // the same message redriven from the DLQ starts at receive 1 again: tried again
        assertThat(store.claimRecord(pk, attempt("e5"), 5, lease(), receipt("m5", 1)))
                .isInstanceOf(Claim.Claimed.class);
        // another event of the record is not held up by the give-up (only by the redrive's lease above)
        assertThat(store.claimRecord(pk, attempt("e6"), 6, lease(), receipt("m6", 1)))
                .isInstanceOf(Claim.Busy.class);
    }

    @Test
    void aRedriveUnderTheSameMessageIdIsTriedAgainHoweverOftenItIsReceived() {
        LeaseToken first = attempt("e5");
        store.claimRecord(pk, first, 5, lease(), receipt("m5", 3));
        assertThat(store.giveUp(pk, "e5", receipt("m5", 3), "vendor_5xx", Optional.of(first)))
                .isTrue();

        // ElasticMQ's move task keeps the message id and starts the count and the first receive again:
        // the redriven message, first received after the give-up, is tried again also on its 4th receive
        SyncStateStore.Receipt redriven = new SyncStateStore.Receipt("m5", 4, NOW.plusMillis(1));
        SyncStateStore afterTheRedrive = new SyncStateStore(
                aws.dynamo(), table, Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC), Duration.ofDays(30));
        assertThat(afterTheRedrive.claimRecord(pk, attempt("e5"), 5, lease(), redriven))
                .isInstanceOf(Claim.Claimed.class);
    }

    @Test
    void aSecondGiveUpOnTheItemDoesNotEraseTheFirst() {
        LeaseToken e5 = attempt("e5");
        store.claimRecord(pk, e5, 5, lease(), receipt("m5", 1));
        store.giveUp(pk, "e5", receipt("m5", 1), "vendor_rejected", Optional.of(e5));
        LeaseToken e6 = attempt("e6");
        store.claimRecord(pk, e6, 6, lease(), receipt("m6", 1));
        store.giveUp(pk, "e6", receipt("m6", 1), "unauthorized", Optional.of(e6));

        // both messages are on their way to the DLQ: neither is tried again (no vendor call, no status write)
        assertThat(store.claimRecord(pk, attempt("e5"), 5, lease(), receipt("m5", 2)))
                .isEqualTo(new Claim.FailedPermanently("vendor_rejected"));
        assertThat(store.claimRecord(pk, attempt("e6"), 6, lease(), receipt("m6", 2)))
                .isEqualTo(new Claim.FailedPermanently("unauthorized"));
        assertThat(store.giveUp(pk, "e5", receipt("m5", 3), "vendor_rejected", Optional.empty()))
                .isFalse();
    }

    @Test
    void theItemRemembersItsLastGiveUpsUpToItsBound() {
        int bound = SyncStateStore.GIVE_UPS_REMEMBERED;
        for (int i = 0; i <= bound; i++) {
            LeaseToken token = attempt("e" + i);
            // one version for all: a give-up of a newer version would keep an older one from claiming at all
            store.claimRecord(pk, token, 1, lease(), receipt("m" + i, 1));
            assertThat(store.giveUp(pk, "e" + i, receipt("m" + i, 1), "vendor_rejected", Optional.of(token)))
                    .isTrue();
        }

        // the oldest of bound + 1 give-ups is forgotten: its next receive is tried once more
        assertThat(store.claimRecord(pk, attempt("e0"), 1, lease(), receipt("m0", 2)))
                .isInstanceOf(Claim.Claimed.class);
        assertThat(stored().get("gaveUps").m()).hasSize(bound).doesNotContainKey("m0");
        for (int i = 1; i <= bound; i++) {
            assertThat(store.giveUp(pk, "e" + i, receipt("m" + i, 2), "vendor_rejected", Optional.empty()))
                    .as("m" + i)
                    .isFalse();
        }
    }

    @Test
    void failedEventsKeepTheNewestUpToTheirBound() {
        int bound = SyncStateStore.FAILED_EVENTS_REMEMBERED;
        for (int i = 0; i < bound; i++) {
            LeaseToken token = attempt("e" + i);
            claim(token, i + 1);
            store.release(pk, token);
        }
        assertThat(stored().get("failedEvents").ss()).hasSize(bound);

        // one more: the oldest is forgotten (a later success of it leaves its status as it was)
        store.noteFailure(pk, "e" + bound);
        assertThat(stored().get("failedEvents").ss())
                .hasSize(bound)
                .doesNotContain("e0")
                .contains("e1", "e" + bound);

        // and stays bounded however many failures and recoveries follow
        for (int i = bound + 1; i < 4 * bound; i++) {
            LeaseToken token = attempt("e" + i);
            claim(token, i + 1);
            store.release(pk, token);
            if (i % 2 == 0) {
                // a retry that succeeds: the commit forgets the failure
                LeaseToken retry = attempt("e" + i);
                claim(retry, i + 1);
                assertThat(store.commitRecord(pk, retry, i + 1, applied("cus"))).isTrue();
            }
        }
        assertThat(stored().get("failedEvents").ss())
                .hasSizeLessThanOrEqualTo(bound)
                .contains("e" + (4 * bound - 1))
                .doesNotContain("e" + (4 * bound - 2));
        assertThat(stored().get("failedEventsOrder").l()).hasSizeLessThanOrEqualTo(2 * bound);
    }

    private Map<String, AttributeValue> stored() {
        return aws.dynamo()
                .getItem(b -> b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(pk)))
                        .consistentRead(true))
                .item();
    }

    @Test
    void aGiveUpIsForgottenAfterAWhileSoThatARedriveIsTriedAgain() {
        LeaseToken first = attempt("e5");
        store.claimRecord(pk, first, 5, lease(), receipt("m5", 1));
        store.giveUp(pk, "e5", receipt("m5", 1), "vendor_rejected", Optional.of(first));
        SyncStateStore later = new SyncStateStore(
                aws.dynamo(),
                table,
                Clock.fixed(NOW.plus(SyncStateStore.GIVE_UP_MEMORY).plusSeconds(1), ZoneOffset.UTC),
                Duration.ofDays(30));
        Claim claim =
                later.claimRecord(pk, attempt("e5"), 5, lease().plus(SyncStateStore.GIVE_UP_MEMORY), receipt("m5", 2));
        assertThat(claim).isInstanceOf(Claim.Claimed.class);
        assertThat(((Claim.Claimed) claim).failedBefore("e5")).isTrue();
    }

    @Test
    void actionIsClaimedOnceAndCompletedOnce() {
        String action = StateKey.action("billing", "invoice", "006-" + UUID.randomUUID());
        LeaseToken e1 = attempt("e1");
        assertThat(store.claimAction(action, e1, lease(), receipt("m1", 1))).isInstanceOf(Claim.Claimed.class);
        assertThat(store.claimAction(action, attempt("e2"), lease(), receipt("m2", 1)))
                .isEqualTo(new Claim.Busy("e1", 0, lease()));
        assertThat(store.commitAction(action, e1, new SyncStateStore.Applied("in_1", Map.of("invoice", "in_1"), 0)))
                .isTrue();
        assertThat(store.claimAction(action, attempt("e2"), lease(), receipt("m2", 1)))
                .isEqualTo(new Claim.Duplicate("e1", Set.of()));
    }

    @Test
    void anActionsTermsAreThoseOfItsFirstClaimWhicheverEventClaimsItLater() {
        String action = StateKey.action("billing", "invoice", "006-" + UUID.randomUUID());
        LeaseToken e1 = attempt("e1");
        Claim first =
                store.claimAction(action, e1, lease(), receipt("m1", 1), Map.of("amount", "70000", "currency", "usd"));
        assertThat(((Claim.Claimed) first).actionTerms()).isEqualTo(Map.of("amount", "70000", "currency", "usd"));
        store.release(action, e1);

        Claim second = store.claimAction(
                action, attempt("e2"), lease(), receipt("m2", 1), Map.of("amount", "90000", "currency", "eur"));

        assertThat(((Claim.Claimed) second).actionTerms()).isEqualTo(Map.of("amount", "70000", "currency", "usd"));
        Map<String, AttributeValue> stored = aws.dynamo()
                .getItem(b -> b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(action)))
                        .consistentRead(true))
                .item();
        assertThat(stored.get("actionTerms").m().get("amount").s()).isEqualTo("70000");
    }

    @Test
    void aResumePointGoesToTheNextClaimAloneSoAnAttemptThatDiesLeavesNone() {
        String action = StateKey.action("notifications", "message", "006-" + UUID.randomUUID());
        LeaseToken e1 = attempt("e1");
        assertThat(((Claim.Claimed) store.claimAction(action, e1, lease(), receipt("m1", 1))).resumePoint())
                .isEmpty();
        store.release(action, e1, Optional.of("1733230000.000100 15"));

        LeaseToken second = attempt("e1");
        assertThat(((Claim.Claimed) store.claimAction(action, second, lease(), receipt("m1", 2))).resumePoint())
                .contains("1733230000.000100 15");
        // the second attempt died holding its lease (perhaps after reaching the vendor): once the lease
        // has run out, the third starts over
        SyncStateStore later = new SyncStateStore(
                aws.dynamo(), table, Clock.fixed(lease().plusSeconds(1), ZoneOffset.UTC), Duration.ofDays(30));
        Claim third = later.claimAction(action, attempt("e1"), lease().plusSeconds(120), receipt("m1", 3));
        assertThat(((Claim.Claimed) third).resumePoint()).isEmpty();
        assertThat(((Claim.Claimed) third).tookOverLease()).isTrue();
    }

    @Test
    void aRecordsLiveKeysGrowWithEveryClaimAndAreWhatTheCommitSaysAfter() {
        LeaseToken e1 = attempt("e1");
        assertThat(((Claim.Claimed) store.claimRecord(pk, e1, 1, lease(), receipt("m1", 1), Set.of("h1"))).liveKeys())
                .containsExactly("h1");
        store.commitRecord(pk, e1, 1, new SyncStateStore.Applied("h1", Map.of(), 0, Set.of("h1")));
        // an attempt that writes h2 and dies before its commit: h2 is known all the same
        LeaseToken e2 = attempt("e2");
        store.claimRecord(pk, e2, 2, lease(), receipt("m2", 1), Set.of("h2"));
        store.release(pk, e2);
        assertThat(item().get("liveVendorKeys").ss()).containsExactlyInAnyOrder("h1", "h2");

        LeaseToken e3 = attempt("e3");
        Claim third = store.claimRecord(pk, e3, 3, lease(), receipt("m3", 1), Set.of("h3"));
        assertThat(((Claim.Claimed) third).liveKeys()).containsExactlyInAnyOrder("h1", "h2", "h3");
        store.commitRecord(pk, e3, 3, new SyncStateStore.Applied("h3", Map.of(), 0, Set.of("h3")));
        assertThat(item().get("liveVendorKeys").ss()).containsExactly("h3");

        // a deletion that removed them all leaves none
        LeaseToken e4 = attempt("e4");
        assertThat(((Claim.Claimed) store.claimRecord(pk, e4, 4, lease(), receipt("m4", 1), Set.of())).liveKeys())
                .containsExactly("h3");
        store.commitRecord(pk, e4, 4, new SyncStateStore.Applied("h3", Map.of(), 0, Set.of()));
        assertThat(item()).doesNotContainKey("liveVendorKeys");
    }

    @Test
    void batchReadOfMappingsReturnsOnlyKnownRecords() {
        LeaseToken e1 = attempt("e1");
        claim(e1, 1);
        store.commitRecord(pk, e1, 1, applied("cus_9"));
        String unknown = StateKey.record("billing", "account", "nope");
        assertThat(store.externalIds(List.of(pk, unknown, pk))).containsExactly(Map.entry(pk, "cus_9"));
    }

    @Test
    void statusRecordExpiresByItsTtlAsJudgedByTheClock() {
        store.putStatus(new SyncStatus(
                "billing",
                "e1",
                "account.upserted",
                "001",
                "m1",
                "FAILED_PERMANENT",
                1,
                "schema_invalid",
                "recordId missing",
                NOW));
        assertThat(store.status("billing", "e1"))
                .get()
                .extracting(SyncStatus::reason)
                .isEqualTo("recordId missing");

        SyncStateStore later = new SyncStateStore(
                aws.dynamo(), table, Clock.fixed(NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC), Duration.ofDays(30));
        assertThat(later.status("billing", "e1")).isEmpty();
    }

    @Test
    void aHostileEventIdLongerThanDynamoDbsKeyLimitStillGetsItsStatusRecord() {
        String hostile = "e".repeat(5_000);
        store.putStatus(new SyncStatus(
                "billing",
                hostile,
                "account.upserted",
                null,
                "m1",
                "FAILED_PERMANENT",
                1,
                "schema_invalid",
                "bad",
                NOW));
        assertThat(store.status("billing", hostile))
                .get()
                .extracting(SyncStatus::reason)
                .isEqualTo("bad");
        assertThat(StateKey.status("billing", hostile).length()).isLessThan(1024);
        assertThat(StateKey.status("billing", hostile)).isNotEqualTo(StateKey.status("billing", hostile + "x"));
    }

    private Map<String, AttributeValue> item() {
        return aws.dynamo()
                .getItem(b -> b.tableName(table)
                        .key(Map.of("pk", AttributeValue.fromS(pk)))
                        .consistentRead(true))
                .item();
    }
}
