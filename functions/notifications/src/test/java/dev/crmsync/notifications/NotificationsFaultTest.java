package dev.crmsync.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.ProcessCrash;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.slack.SlackSandbox;
import dev.crmsync.testkit.LocalAws;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Failure handling on real local servers: a crash between Slack's answer and the commit still
 * makes one message (the retry finds it in the channel's history by its metadata); Slack's 429 and
 * 5xx are retried; a permanent ok:false reaches the DLQ with a status record and a redrive after
 * the fix posts once; a refused token re-reads the secret once.
 */
class NotificationsFaultTest {
    private final SlackSandbox slack = SlackSandbox.shared();
    // a queue whose visibility timeout (3 s) is what a dead instance leaves its message with
    @RegisterExtension
    final LocalDeployment<NotificationsHarness> local = LocalDeployment.of(slack, () -> {
        slack.addChannel(NotificationsHarness.CHANNEL, "sales").setPostsPerSecondPerChannel(0);
        return new NotificationsHarness(slack, 4, 3);
    });

    /** Posts {@code body} on an instance that dies before its commit, and waits until its lease has run out. */
    private void postAndDieBeforeTheCommit(String body, String deal) throws InterruptedException {
        ProcessCrash crash = new ProcessCrash();
        local.harness().send(body);
        local.harness()
                .eventSourceMapping(local.harness().pipeline(Clock.systemUTC(), crash), Duration.ofSeconds(3))
                .pollOnce();
        assertThat(crash.happened()).isTrue();
        assertThat(local.harness().messagesAbout(deal)).hasSize(1);
        Instant leaseEnds = Instant.ofEpochMilli(Long.parseLong(
                local.harness().messageItem(deal).get("leaseUntil").n()));
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), leaseEnds).toMillis() + 200));
    }

    @Test
    void crashBetweenThePostAndTheCommitStillMakesOneMessage() throws InterruptedException {
        String deal = SampleEvents.unique("006");
        Instant closed = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String body = NotificationsHarness.occurredAt(
                NotificationsHarness.dealClosed(deal, "evt-" + deal, data -> data.put("closedAt", closed.toString())),
                closed);
        postAndDieBeforeTheCommit(body, deal);

        // the dead instance's message comes back after its 3 s visibility timeout
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().messagesAbout(deal)).hasSize(1);
        assertThat(local.harness().posts()).hasSize(1);
        assertThat(local.harness().lookups()).singleElement().satisfies(lookup -> {
            assertThat(lookup.params())
                    .containsEntry("channel", NotificationsHarness.CHANNEL)
                    .containsEntry("include_all_metadata", "true");
            // bounded: from shortly before the deal closed, not the channel's whole history
            assertThat(new BigDecimal(lookup.params().get("oldest")))
                    .isEqualTo(new BigDecimal(SlackConnector.slackTs(closed.minus(SlackConnector.LOOKUP_MARGIN))));
        });
        Map<String, AttributeValue> action = local.harness().messageItem(deal);
        assertThat(action.get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(action.get("externalId").s())
                .isEqualTo(
                        local.harness().messagesAbout(deal).getFirst().get("ts").asText());
        assertThat(action).doesNotContainKey("leaseOwner");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aSecondEventSentLaterThatTakesOverTheDeadLeaseFindsTheFirstMessage() throws InterruptedException {
        // the crashed attempt's message stays invisible for the queue's 30 s; its lease ends with its 3 s invocation
        local.redeploy(() -> new NotificationsHarness(slack, 4, 30));
        String deal = SampleEvents.unique("006");
        Instant closed = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        postAndDieBeforeTheCommit(
                NotificationsHarness.occurredAt(
                        NotificationsHarness.dealClosed(
                                deal, "evt-1-" + deal, data -> data.put("closedAt", closed.toString())),
                        closed),
                deal);

        // the CRM sends the close again an hour later (a re-sync): its occurredAt is long after the first message
        Instant resent = Instant.now().plus(1, ChronoUnit.HOURS);
        local.harness()
                .send(NotificationsHarness.occurredAt(
                        NotificationsHarness.dealClosed(
                                deal, "evt-2-" + deal, data -> data.put("closedAt", closed.toString())),
                        resent));
        local.esm().pollOnce();

        assertThat(local.harness().messagesAbout(deal)).hasSize(1);
        assertThat(local.harness().posts()).hasSize(1);
        assertThat(local.harness().lookups()).hasSize(1);
        assertThat(local.harness().messageItem(deal).get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(local.harness().messageItem(deal).get("externalId").s())
                .isEqualTo(
                        local.harness().messagesAbout(deal).getFirst().get("ts").asText());
    }

    @Test
    void theLookupPagesThroughABusyChannel() throws InterruptedException {
        String deal = SampleEvents.unique("006");
        postAndDieBeforeTheCommit(NotificationsHarness.dealClosed(deal, "evt-" + deal), deal);
        for (int i = 0; i < 7; i++) {
            slack.addMessageFromAPerson(NotificationsHarness.CHANNEL, "congrats " + i);
        }
        slack.capHistoryPage(3);

        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().messagesAbout(deal)).hasSize(1);
        assertThat(local.harness().posts()).hasSize(1);
        List<RecordedCall> lookups = local.harness().lookups();
        assertThat(lookups).hasSize(3);
        assertThat(lookups.get(0).params()).doesNotContainKey("cursor");
        assertThat(lookups.get(2).params()).containsKey("cursor");
    }

    @Test
    void aLimitedAppsLookupGoesOnWhereTheRateLimitStoppedItAndPostsOnce() throws InterruptedException {
        local.redeploy(() -> new NotificationsHarness(slack, 10, 3));
        String deal = SampleEvents.unique("006");
        postAndDieBeforeTheCommit(NotificationsHarness.dealClosed(deal, "evt-" + deal), deal);
        for (int i = 0; i < 40; i++) {
            slack.addMessageFromAPerson(NotificationsHarness.CHANNEL, "congrats " + i);
        }
        // Slack's limits for a limited app: 15 messages a page and one history call a minute. The
        // interval is a second here only to keep the test short: as with a minute, every attempt gets
        // one page and its second call is refused with 429.
        slack.capHistoryPage(SlackSandbox.LIMITED_APP_HISTORY_PAGE).limitHistoryCalls(Duration.ofSeconds(1));

        local.esm().drain(Duration.ofSeconds(45));

        assertThat(local.harness().messagesAbout(deal)).hasSize(1);
        assertThat(local.harness().posts()).hasSize(1);
        List<RecordedCall> answered = local.harness().lookups().stream()
                .filter(call -> call.status() == 200)
                .toList();
        // 41 messages since the close, ours the oldest: three pages, none read twice
        assertThat(answered).hasSize(3);
        assertThat(answered.get(0).params()).doesNotContainKey("latest");
        assertThat(new BigDecimal(answered.get(2).params().get("latest")))
                .isLessThan(new BigDecimal(answered.get(1).params().get("latest")));
        assertThat(local.harness().messageItem(deal).get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(local.harness().messageItem(deal)).doesNotContainKey("resumePoint");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void rateLimitIsRetriedAfterSlacksRetryAfter() {
        String deal = SampleEvents.unique("006");
        slack.rateLimitNext("POST", "/api/chat.postMessage", 1, 3);
        local.harness().send(NotificationsHarness.dealClosed(deal, "evt-" + deal));

        local.esm().pollOnce();
        assertThat(local.harness().statusItem("evt-" + deal).get("errorClass").s())
                .isEqualTo("rate_limited");
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().visibilityTimeouts).containsExactly(3);
        assertThat(local.harness().messagesAbout(deal)).hasSize(1);
        // the retry looked first (a 429 may follow nothing, but the connector cannot know) and posted once
        assertThat(local.harness().posts()).extracting(RecordedCall::status).containsExactly(429, 200);
        assertThat(local.harness().statusItem("evt-" + deal).get("outcome").s()).isEqualTo("APPLIED");
    }

    @Test
    void moreDealsThanTheChannelTakesPerSecondAreAllPostedOnce() {
        slack.setPostsPerSecondPerChannel(1);
        List<String> deals =
                List.of(SampleEvents.unique("006"), SampleEvents.unique("006"), SampleEvents.unique("006"));
        deals.forEach(deal -> local.harness().send(NotificationsHarness.dealClosed(deal, "evt-" + deal)));

        local.esm().drain(Duration.ofSeconds(30));

        for (String deal : deals) {
            assertThat(local.harness().messagesAbout(deal)).as(deal).hasSize(1);
        }
        assertThat(local.harness().posts()).extracting(RecordedCall::status).contains(429);
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void channelNotFoundReachesTheDlqWithinSecondsAndARedriveAfterTheFixPostsOnce() throws InterruptedException {
        // the deployment names a channel that does not exist (yet)
        slack.reset();
        slack.acceptApiKeys(NotificationsHarness.BOT_TOKEN).setPostsPerSecondPerChannel(0);
        String deal = SampleEvents.unique("006");
        local.harness().send(NotificationsHarness.dealClosed(deal, "evt-" + deal));

        Map<String, AttributeValue> status = local.drainToTheDlq("evt-" + deal, "vendor_rejected", 1);
        assertThat(status.get("reason").s()).contains("channel_not_found").contains("CRM_SYNC_OPTION_CHANNEL");
        // Slack was asked once: the later receives only carry the message to the DLQ
        assertThat(local.harness().posts()).hasSize(1);
        assertThat(local.harness().messageItem(deal)).doesNotContainKey("leaseOwner");

        // on-call creates the channel and invites the app, then "Start DLQ redrive"
        slack.addChannel(NotificationsHarness.CHANNEL, "sales");
        local.harness().redriveTheDlq();
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).isEmpty();
        assertThat(local.harness().messagesAbout(deal)).hasSize(1);
        assertThat(local.harness().statusItem("evt-" + deal).get("outcome").s()).isEqualTo("APPLIED");
        assertThat(local.harness().messageItem(deal).get("actionStatus").s()).isEqualTo("COMPLETED");
    }

    @Test
    void aRevokedTokenRereadsTheRotatedSecretOnceAndPosts() {
        // the function has read and cached the secret
        String warmUp = SampleEvents.unique("006");
        local.harness().send(NotificationsHarness.dealClosed(warmUp, "evt-" + warmUp));
        local.esm().drain(Duration.ofSeconds(20));
        assertThat(LocalAws.get().secrets().readsOf(local.harness().secretId)).isEqualTo(1);

        String rotated = "xoxb-2000000000-crm-sync-rotated";
        slack.revokeTokens(NotificationsHarness.BOT_TOKEN).acceptApiKeys(rotated);
        local.harness().aws.putSecret(local.harness().secretId, "{\"botToken\":\"" + rotated + "\"}");
        String deal = SampleEvents.unique("006");
        local.harness().send(NotificationsHarness.dealClosed(deal, "evt-" + deal));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().messagesAbout(deal)).hasSize(1);
        assertThat(LocalAws.get().secrets().readsOf(local.harness().secretId)).isEqualTo(2);
        // warm-up, the refused post, the post with the re-read token
        assertThat(local.harness().posts()).hasSize(3);
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aTokenRefusedAgainIsUnauthorizedInTheDlqWithoutShowingIt() {
        slack.revokeTokens(NotificationsHarness.BOT_TOKEN);
        String deal = SampleEvents.unique("006");
        local.harness().send(NotificationsHarness.dealClosed(deal, "evt-" + deal));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(local.harness().dlqMessages()).hasSize(1);
        Map<String, AttributeValue> status = local.harness().statusItem("evt-" + deal);
        assertThat(status.get("errorClass").s()).isEqualTo("unauthorized");
        assertThat(status.get("reason").s()).contains("token_revoked").doesNotContain(NotificationsHarness.BOT_TOKEN);
        assertThat(local.harness().messages()).isEmpty();
    }
}
