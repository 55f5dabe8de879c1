package dev.crmsync.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.slack.SlackSandbox;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The notifications pipeline end to end on real local servers (ElasticMQ queue + DLQ, dynalite, a
 * Secrets Manager endpoint, the Slack sandbox): what Slack holds and received, what the state
 * table holds, and what it cost.
 */
class NotificationsPipelineTest {
    private final SlackSandbox slack = SlackSandbox.shared();

    @RegisterExtension
    final LocalDeployment<NotificationsHarness> local = LocalDeployment.of(slack, () -> {
        slack.addChannel(NotificationsHarness.CHANNEL, "sales").setPostsPerSecondPerChannel(0);
        return new NotificationsHarness(slack, 5, 30);
    });

    @Test
    void wonDealIsOneMessageWithNameAmountOwnerAndTheCrmLink() {
        // the contract's own sample naming the owner, with ids of this test
        String deal = SampleEvents.unique("006");
        var envelope = SampleEvents.sample("valid/deal.closed.owner.json");
        ((ObjectNode) envelope.get("detail")).put("recordId", deal).put("eventId", "evt-" + deal);
        local.deliver(envelope.toString());

        assertThat(local.harness().messages()).singleElement().satisfies(message -> {
            assertThat(message.get("text").asText())
                    .isEqualTo(":tada: *Deal won:* <https://crm.example.com/deals/" + deal
                            + "|Globex - Data Residency Add-on> — €18,000.00 · owner: Sam Ortiz");
            assertThat(message.at("/metadata/event_type").asText()).isEqualTo("crm_deal_closed");
            assertThat(message.at("/metadata/event_payload/deal_id").asText()).isEqualTo(deal);
        });
        assertThat(local.harness().posts()).singleElement().satisfies(post -> {
            assertThat(post.body().get("channel").asText()).isEqualTo(NotificationsHarness.CHANNEL);
            assertThat(post.header("Content-Type")).startsWith("application/json");
        });
        // a first attempt has nothing to look for
        assertThat(local.harness().lookups()).isEmpty();
        Map<String, AttributeValue> action = local.harness().messageItem(deal);
        assertThat(action.get("actionStatus").s()).isEqualTo("COMPLETED");
        assertThat(action.get("externalId").s())
                .isEqualTo(local.harness().messages().getFirst().get("ts").asText());
        assertThat(action.get("externalIds").m().get("channel").s()).isEqualTo(NotificationsHarness.CHANNEL);
        assertThat(action).doesNotContainKeys("leaseOwner", "leaseUntil");
    }

    @Test
    void withoutAnOwnerTheMessageNamesNoneAndTheAmountIsInItsCurrency() {
        String deal = SampleEvents.unique("006");
        local.deliver(NotificationsHarness.dealClosed(
                deal,
                "evt-" + deal,
                data -> data.put("name", "Tokyo <Rollout> & more")
                        .put("amount", 1250000)
                        .put("currency", "jpy")));

        assertThat(local.harness().messages())
                .singleElement()
                .satisfies(m -> assertThat(m.get("text").asText())
                        .isEqualTo(":tada: *Deal won:* <https://crm.example.com/deals/" + deal
                                + "|Tokyo &lt;Rollout&gt; &amp; more> — ¥1,250,000"));
    }

    @Test
    void theLinkIsBuiltFromTheDeploymentsTemplateNeverFromTheEvent() {
        String deal = SampleEvents.unique("006");
        // fields no schema names are accepted and ignored: none of them may steer the link
        local.deliver(NotificationsHarness.dealClosed(
                deal,
                "evt-" + deal,
                data -> data.put("url", "https://evil.example/phish")
                        .put("recordUrl", "https://evil.example/phish")
                        .put("recordUrlTemplate", "https://evil.example/{recordId}")
                        .put("link", "https://evil.example/phish")));

        String text = local.harness().messages().getFirst().get("text").asText();
        assertThat(text)
                .contains("<https://crm.example.com/deals/" + deal + "|")
                .doesNotContain("evil.example");

        // another deployment, another template: the link follows the option
        slack.reset();
        slack.addChannel(NotificationsHarness.CHANNEL, "sales").setPostsPerSecondPerChannel(0);
        local.redeploy(() -> new NotificationsHarness(
                slack,
                5,
                30,
                Map.of(
                        "CRM_SYNC_OPTION_CHANNEL",
                        NotificationsHarness.CHANNEL,
                        "CRM_SYNC_OPTION_RECORD_URL_TEMPLATE",
                        "https://acme.my.salesforce.com/lightning/r/Opportunity/{recordId}/view")));
        local.deliver(NotificationsHarness.dealClosed(
                deal, "evt-" + deal, data -> data.put("url", "https://evil.example/phish")));
        assertThat(local.harness().messages().getFirst().get("text").asText())
                .contains("<https://acme.my.salesforce.com/lightning/r/Opportunity/" + deal + "/view|")
                .doesNotContain("evil.example");
    }

    @Test
    void aDealClosedThatIsNotWonNeverReachesSlack() {
        // The contract allows only closed_won in deal.closed (a lost deal is a deal.upserted): the edge refuses it.
        String deal = SampleEvents.unique("006");
        local.deliver(NotificationsHarness.dealClosed(deal, "evt-" + deal, data -> data.put("stage", "closed_lost")));

        assertThat(slack.calls()).isEmpty();
        assertThat(local.harness().dlqMessages()).hasSize(1);
        assertThat(local.harness().statusItem("evt-" + deal).get("errorClass").s())
                .isEqualTo("schema_invalid");
        assertThat(local.harness().statusItem("evt-" + deal).get("reason").s()).contains("stage");
    }
}
