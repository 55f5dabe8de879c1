package dev.crmsync.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.slack.SlackSandbox;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first sync into a channel that is already busy: the deals' messages are added to what people
 * wrote, nothing of theirs is read on a first attempt or changed, and a person's message naming a
 * deal is not taken for crm-sync's own (only our metadata is): a retry whose first post reached
 * Slack pages through the traffic to find that post, and posts nothing more.
 */
class NotificationsFirstSyncTest {
    private static final int MESSAGES_BY_PEOPLE = 250;
    private final SlackSandbox slack = SlackSandbox.shared();

    @RegisterExtension
    final LocalDeployment<NotificationsHarness> local = LocalDeployment.of(slack, () -> {
        slack.addChannel(NotificationsHarness.CHANNEL, "sales").setPostsPerSecondPerChannel(0);
        return new NotificationsHarness(slack, 4, 30);
    });

    @Test
    void wonDealsAreAddedToABusyChannelAndARetryFindsItsPostAmongThePeoplesMessages() {
        NotificationsHarness harness = local.harness();
        for (int i = 0; i < 100; i++) {
            slack.addMessageFromAPerson(NotificationsHarness.CHANNEL, "standup notes " + i);
        }
        List<JsonNode> before = harness.messages();
        String retried = SampleEvents.unique("006");
        List<String> deals = List.of(retried, SampleEvents.unique("006"), SampleEvents.unique("006"));
        LocalEventSourceMapping esm = local.esm();

        // the first deal's post reaches Slack, but its answer is lost (a 503 after the work) ...
        slack.failAfterWorkNext("POST", "/api/chat\\.postMessage", 1, 503);
        harness.send(NotificationsHarness.dealClosed(retried, "evt-" + retried));
        esm.pollOnce();
        // ... and people keep talking before its retry, one of them about that deal
        for (int i = 0; i < MESSAGES_BY_PEOPLE; i++) {
            slack.addMessageFromAPerson(
                    NotificationsHarness.CHANNEL, i == 7 ? "who is on deal " + retried + "?" : "chatter " + i);
        }
        for (String deal : deals.subList(1, 3)) {
            harness.send(NotificationsHarness.dealClosed(deal, "evt-" + deal));
        }
        esm.drain(Duration.ofSeconds(20));

        for (String deal : deals) {
            assertThat(harness.messagesAbout(deal)).as(deal).hasSize(1);
            assertThat(harness.messageItem(deal).get("externalId").s())
                    .isEqualTo(harness.messagesAbout(deal).getFirst().get("ts").asText());
        }
        assertThat(harness.messages()).hasSize(100 + MESSAGES_BY_PEOPLE + deals.size());
        assertThat(harness.messages().subList(0, 100)).isEqualTo(before);
        // the first attempts posted without reading the channel; only the retry looked, paging past
        // the people's messages (and the one naming its deal) to its own post
        assertThat(harness.posts()).hasSize(deals.size());
        List<RecordedCall> lookups = harness.lookups();
        assertThat(lookups).hasSize(2);
        assertThat(lookups.get(1).params()).containsKey("cursor");
        assertThat(harness.dlqMessages()).isEmpty();
    }
}
