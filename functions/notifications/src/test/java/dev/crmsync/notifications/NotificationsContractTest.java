package dev.crmsync.notifications;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.harness.contract.ActionSyncBinding;
import dev.crmsync.harness.contract.ActionSyncContract;
import dev.crmsync.harness.contract.VendorCall;
import dev.crmsync.harness.contract.VendorProfile;
import dev.crmsync.harness.contract.VendorProfile.RateLimitAnswer;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.sandbox.slack.SlackSandbox;
import java.util.List;

/** Notifications bind the action contract: a won deal is one message in the deployment's channel. */
class NotificationsContractTest extends ActionSyncContract {

    @Override
    protected ActionSyncBinding binding() {
        return new SlackMessages(SlackSandbox.shared());
    }

    private record SlackMessages(SlackSandbox slack) implements ActionSyncBinding {
        @Override
        public VendorSandbox<?> vendor() {
            return slack;
        }

        @Override
        public IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds) {
            slack.addChannel(NotificationsHarness.CHANNEL, "sales").setPostsPerSecondPerChannel(0);
            return new NotificationsHarness(slack, maxReceiveCount, queueVisibilitySeconds);
        }

        @Override
        public String action() {
            return "message";
        }

        @Override
        public String newBusinessKey() {
            return SampleEvents.unique("006");
        }

        @Override
        public List<String> prerequisites(String deal) {
            return List.of();
        }

        @Override
        public String actionEvent(String deal, String eventId) {
            return NotificationsHarness.dealClosed(deal, eventId);
        }

        @Override
        public VendorCall effectCall() {
            return new VendorCall("POST", "/api/chat\\.postMessage");
        }

        @Override
        public int effectsOf(String deal) {
            return (int) slack.messages(NotificationsHarness.CHANNEL).stream()
                    .filter(message -> deal.equals(
                            message.at("/metadata/event_payload/deal_id").asText()))
                    .count();
        }

        @Override
        public void refuseNextEffects(int times) {
            slack.rejectNext("POST", "/api/chat\\.postMessage", times, 200, "channel_not_found", null);
        }

        @Override
        public VendorProfile profile() {
            return new VendorProfile(
                    NotificationsHarness.BOT_TOKEN,
                    key -> "{\"botToken\":\"" + key + "\"}",
                    RateLimitAnswer.WITH_RETRY_AFTER,
                    "vendor_rejected",
                    List.of("channel_not_found"));
        }
    }
}
