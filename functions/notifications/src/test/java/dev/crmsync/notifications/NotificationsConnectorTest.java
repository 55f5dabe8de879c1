package dev.crmsync.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.slack.SlackSandbox;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector against the Slack sandbox with hand-built requests, for what the pipeline's edge
 * keeps from reaching it (a deal.closed that is not won) and for the deployment's options.
 */
class NotificationsConnectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SlackSandbox slack = SlackSandbox.shared();

    @BeforeEach
    void resetSlack() {
        slack.reset();
        slack.acceptApiKeys(NotificationsHarness.BOT_TOKEN)
                .addChannel(NotificationsHarness.CHANNEL, "sales")
                .setPostsPerSecondPerChannel(0);
    }

    private SlackConnector connector(Map<String, String> options) {
        return new SlackConnector(
                new ConnectorSettings(Optional.of(URI.create(slack.baseUrl())), HttpClient.newHttpClient(), options));
    }

    private static SyncRequest request(String stage) {
        return request(stage, NotificationsHarness.BOT_TOKEN);
    }

    private static SyncRequest request(String stage, String botToken) {
        ObjectNode data = JSON.createObjectNode()
                .put("name", "Acme")
                .put("accountId", "001A")
                .put("amount", 10)
                .put("currency", "usd")
                .put("stage", stage)
                .put("closedAt", "2026-03-14T10:20:21Z");
        CrmEvent event = new CrmEvent(
                "evt-1",
                "deal.closed",
                "deal",
                "006A",
                1,
                Instant.parse("2026-03-14T10:20:22Z"),
                "crm",
                List.of(),
                data);
        return new SyncRequest(
                event,
                new Operation.Action("message", "006A"),
                Optional.empty(),
                Map.of(),
                false,
                0,
                Map.of(),
                new Credentials(Map.of("botToken", botToken)),
                new CallBudget(Instant.now().plusSeconds(10), Duration.ofSeconds(2), Clock.systemUTC()));
    }

    @Test
    void aDealThatIsNotWonIsNotApplicableWithItsReasonAndPostsNothing() {
        SyncResult result =
                connector(Map.of("CHANNEL", NotificationsHarness.CHANNEL)).apply(request("closed_lost"));

        assertThat(result)
                .isInstanceOfSatisfying(
                        SyncResult.NotApplicable.class,
                        na -> assertThat(na.reason())
                                .contains("006A")
                                .contains("closed_lost")
                                .contains("not closed_won"));
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void withoutATemplateTheMessageHasNoLink() {
        SyncResult result =
                connector(Map.of("CHANNEL", NotificationsHarness.CHANNEL)).apply(request("closed_won"));

        assertThat(result).isInstanceOf(SyncResult.Applied.class);
        assertThat(slack.messages(NotificationsHarness.CHANNEL))
                .singleElement()
                .satisfies(m -> assertThat(m.get("text").asText()).isEqualTo(":tada: *Deal won:* Acme — $10.00"));
    }

    @Test
    void aMissingChannelOrAnUnusableTemplateIsAConfigurationErrorAndPostsNothing() {
        assertThat(failure(connector(Map.of()).apply(request("closed_won")))).satisfies(f -> {
            assertThat(f).isInstanceOf(SyncFailure.Permanent.class);
            assertThat(f.errorClass()).isEqualTo("configuration");
            assertThat(f.reason()).contains("CRM_SYNC_OPTION_CHANNEL");
        });
        assertThat(failure(connector(Map.of("CHANNEL", "#sales")).apply(request("closed_won")))
                        .reason())
                .contains("channel ID");
        assertThat(failure(connector(Map.of(
                                        "CHANNEL",
                                        NotificationsHarness.CHANNEL,
                                        "RECORD_URL_TEMPLATE",
                                        "https://crm.example.com/deals/"))
                                .apply(request("closed_won")))
                        .reason())
                .contains("{recordId}");
        assertThat(failure(connector(Map.of(
                                        "CHANNEL",
                                        NotificationsHarness.CHANNEL,
                                        "RECORD_URL_TEMPLATE",
                                        "javascript:alert(1)/{recordId}"))
                                .apply(request("closed_won")))
                        .reason())
                .contains("http(s)");
        assertThat(slack.calls()).isEmpty();
    }

    @Test
    void slacksOkFalseErrorsAreClassifiedByName() {
        assertThat(classify(200, "{\"ok\":false,\"error\":\"invalid_auth\"}"))
                .isInstanceOf(SyncFailure.Unauthorized.class);
        assertThat(classify(200, "{\"ok\":false,\"error\":\"token_revoked\"}"))
                .isInstanceOf(SyncFailure.Unauthorized.class);
        assertThat(classify(200, "{\"ok\":false,\"error\":\"not_in_channel\"}")).satisfies(f -> {
            assertThat(f).isInstanceOf(SyncFailure.Permanent.class);
            assertThat(f.reason()).contains("/invite");
        });
        assertThat(classify(200, "{\"ok\":false,\"error\":\"msg_too_long\"}").errorClass())
                .isEqualTo("vendor_rejected");
        assertThat(classify(200, "{\"ok\":false,\"error\":\"internal_error\"}"))
                .isInstanceOf(SyncFailure.Retryable.class);
        assertThat(classify(503, "")).isInstanceOf(SyncFailure.Retryable.class);
        assertThat(classify(429, "{\"ok\":false,\"error\":\"ratelimited\"}"))
                .isInstanceOfSatisfying(
                        SyncFailure.Retryable.class,
                        r -> assertThat(r.retryAfter()).hasValue(Duration.ofSeconds(1)));
        assertThat(classify(200, "{\"ok\":false,\"error\":\"rate_limited\"}"))
                .isInstanceOf(SyncFailure.Retryable.class);
        assertThat(classify(200, "{\"ok\":true}")).isNull();
    }

    @Test
    void theWorkspacePostingLimitIsRetriedNotDeadLettered() {
        slack.rejectWorkspacePostingLimit(1);

        SyncResult result =
                connector(Map.of("CHANNEL", NotificationsHarness.CHANNEL)).apply(request("closed_won"));

        assertThat(failure(result)).isInstanceOfSatisfying(SyncFailure.Retryable.class, r -> {
            assertThat(r.errorClass()).isEqualTo("rate_limited");
            assertThat(r.retryAfter())
                    .hasValueSatisfying(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(1)));
        });
        assertThat(slack.messages(NotificationsHarness.CHANNEL)).isEmpty();
    }

    @Test
    void aRotatingTokenIsRefusedBeforeAnyCallWithoutShowingIt() {
        String rotating = "xoxe.xoxb-1-rotating-secret";

        SyncResult result =
                connector(Map.of("CHANNEL", NotificationsHarness.CHANNEL)).apply(request("closed_won", rotating));

        assertThat(failure(result)).satisfies(f -> {
            assertThat(f).isInstanceOf(SyncFailure.Permanent.class);
            assertThat(f.errorClass()).isEqualTo("configuration");
            assertThat(f.reason())
                    .contains("rotating")
                    .contains("turn token rotation off")
                    .doesNotContain(rotating);
        });
        assertThat(slack.calls()).isEmpty();
        assertThat(classify(200, "{\"ok\":false,\"error\":\"token_expired\"}").reason())
                .contains("turn it off");
    }

    private static SyncFailure classify(int status, String body) {
        try {
            return SlackClient.classify(
                            "chat.postMessage",
                            status,
                            body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body),
                            Optional.empty())
                    .orElse(null);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static SyncFailure failure(SyncResult result) {
        assertThat(result).isInstanceOf(SyncResult.Failed.class);
        return ((SyncResult.Failed) result).failure();
    }
}
