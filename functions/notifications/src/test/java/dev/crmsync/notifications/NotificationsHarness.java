package dev.crmsync.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.slack.SlackSandbox;
import dev.crmsync.testkit.LocalAws;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One notifications deployment on local servers, posting to the Slack sandbox's #sales channel
 * with the options the stack sets (channel, CRM record link template).
 */
final class NotificationsHarness extends IntegrationHarness {
    static final String BOT_TOKEN = "xoxb-1000000000-crm-sync-local";
    static final String CHANNEL = "C0SALES01";
    static final String TEMPLATE = "https://crm.example.com/deals/{recordId}";
    private static final ObjectMapper JSON = new ObjectMapper();

    final SlackSandbox slack;

    NotificationsHarness(SlackSandbox slack, int maxReceiveCount, int queueVisibilitySeconds) {
        this(
                slack,
                maxReceiveCount,
                queueVisibilitySeconds,
                Map.of("CRM_SYNC_OPTION_CHANNEL", CHANNEL, "CRM_SYNC_OPTION_RECORD_URL_TEMPLATE", TEMPLATE));
    }

    NotificationsHarness(
            SlackSandbox slack, int maxReceiveCount, int queueVisibilitySeconds, Map<String, String> options) {
        super(
                LocalAws.get(),
                SlackConnector.INTEGRATION,
                SlackConnector::new,
                slack.baseUrl(),
                "{\"botToken\":\"" + BOT_TOKEN + "\"}",
                maxReceiveCount,
                queueVisibilitySeconds);
        this.slack = slack;
        environment.putAll(options);
        slack.acceptApiKeys(BOT_TOKEN);
    }

    /** The contract's deal.closed sample as a new event for {@code dealId}, its data edited by {@code edit}. */
    static String dealClosed(String dealId, String eventId, Consumer<ObjectNode> edit) {
        return SampleEvents.event("deal.closed", eventId, dealId, 10, edit);
    }

    static String dealClosed(String dealId, String eventId) {
        return dealClosed(dealId, eventId, data -> {});
    }

    /** The same event, with the CRM's {@code occurredAt} set. */
    static String occurredAt(String body, Instant at) {
        try {
            ObjectNode envelope = (ObjectNode) JSON.readTree(body);
            ((ObjectNode) envelope.get("detail")).put("occurredAt", at.toString());
            return envelope.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Map<String, AttributeValue> messageItem(String dealId) {
        return actionItem("message", dealId);
    }

    List<JsonNode> messages() {
        return slack.messages(CHANNEL);
    }

    /** The channel's messages about {@code dealId}, found by the metadata our messages carry. */
    List<JsonNode> messagesAbout(String dealId) {
        return messages().stream()
                .filter(m ->
                        dealId.equals(m.at("/metadata/event_payload/deal_id").asText()))
                .toList();
    }

    List<RecordedCall> posts() {
        return slack.calls("POST", "/api/chat.postMessage");
    }

    List<RecordedCall> lookups() {
        return slack.calls("GET", "/api/conversations.history");
    }
}
