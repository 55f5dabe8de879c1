package dev.crmsync.sandbox.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.sandbox.RecordedCall;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local Slack Web API behaves like Slack: ok:false errors on HTTP 200, metadata, history paging, the per-channel
 * rate limit.
 */
class SlackSandboxTest {
    private static final String TOKEN = "xoxb-0000-crm-sync-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static SlackSandbox slack;

    @BeforeAll
    static void startSandbox() {
        slack = SlackSandbox.start();
    }

    @AfterAll
    static void stopSandbox() {
        slack.close();
    }

    @BeforeEach
    void resetSandbox() {
        slack.reset();
        slack.acceptApiKeys(TOKEN).addChannel("C0SALES", "sales").setPostsPerSecondPerChannel(0);
    }

    @Test
    void aPostedMessageKeepsItsMetadataAndHistoryShowsItOnlyWhenAskedFor() throws Exception {
        JsonNode posted = post("chat.postMessage", """
                {"channel":"C0SALES","text":"Deal won",\
                "metadata":{"event_type":"crm_deal_closed","event_payload":{"deal_id":"006A"}}}""", TOKEN);

        assertThat(posted.get("ok").asBoolean()).isTrue();
        assertThat(posted.get("channel").asText()).isEqualTo("C0SALES");
        assertThat(posted.get("ts").asText()).matches("\\d+\\.\\d{6}");
        assertThat(slack.messages("C0SALES"))
                .singleElement()
                .satisfies(
                        m -> assertThat(m.at("/metadata/event_payload/deal_id").asText())
                                .isEqualTo("006A"));

        JsonNode plain = get("conversations.history?channel=C0SALES", TOKEN);
        JsonNode withMetadata = get("conversations.history?channel=C0SALES&include_all_metadata=true", TOKEN);
        assertThat(plain.at("/messages/0/metadata").isMissingNode()).isTrue();
        assertThat(withMetadata.at("/messages/0/metadata/event_type").asText()).isEqualTo("crm_deal_closed");
        assertThat(withMetadata.at("/messages/0/ts").asText())
                .isEqualTo(posted.get("ts").asText());
    }

    @Test
    void historyIsNewestFirstAfterOldestAndPagedWithACursor() throws Exception {
        List<String> ts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ts.add(post("chat.postMessage", "{\"channel\":\"#sales\",\"text\":\"m" + i + "\"}", TOKEN)
                    .get("ts")
                    .asText());
        }
        slack.capHistoryPage(2);

        List<String> seen = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = get(
                    "conversations.history?channel=C0SALES&limit=100&oldest=" + ts.get(0) + "&cursor=" + cursor, TOKEN);
            page.get("messages").forEach(m -> seen.add(m.get("text").asText()));
            cursor = page.at("/response_metadata/next_cursor").asText();
            assertThat(page.get("has_more").asBoolean()).isEqualTo(!cursor.isEmpty());
            pages++;
        } while (!cursor.isEmpty());

        assertThat(seen).containsExactly("m4", "m3", "m2", "m1");
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void historyBeforeLatestLeavesOutLatestItselfUnlessInclusive() throws Exception {
        List<String> ts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ts.add(post("chat.postMessage", "{\"channel\":\"C0SALES\",\"text\":\"m" + i + "\"}", TOKEN)
                    .get("ts")
                    .asText());
        }

        JsonNode before =
                get("conversations.history?channel=C0SALES&oldest=" + ts.get(0) + "&latest=" + ts.get(3), TOKEN);
        JsonNode inclusive = get(
                "conversations.history?channel=C0SALES&inclusive=true&oldest=" + ts.get(0) + "&latest=" + ts.get(3),
                TOKEN);

        List<String> exclusiveTexts = new ArrayList<>();
        before.get("messages").forEach(m -> exclusiveTexts.add(m.get("text").asText()));
        List<String> inclusiveTexts = new ArrayList<>();
        inclusive.get("messages").forEach(m -> inclusiveTexts.add(m.get("text").asText()));
        assertThat(exclusiveTexts).containsExactly("m2", "m1");
        assertThat(inclusiveTexts).containsExactly("m3", "m2", "m1", "m0");
    }

    @Test
    void aLimitedAppGetsFifteenMessagesAPageAndOneHistoryCallPerInterval() throws Exception {
        for (int i = 0; i < 20; i++) {
            post("chat.postMessage", "{\"channel\":\"C0SALES\",\"text\":\"m" + i + "\"}", TOKEN);
        }
        slack.capHistoryPage(SlackSandbox.LIMITED_APP_HISTORY_PAGE)
                .limitHistoryCalls(SlackSandbox.LIMITED_APP_HISTORY_INTERVAL);

        JsonNode first = get("conversations.history?channel=C0SALES&limit=200", TOKEN);
        HttpResponse<String> second = send(request(
                        "conversations.history?channel=C0SALES&limit=200&cursor="
                                + first.at("/response_metadata/next_cursor").asText(),
                        TOKEN)
                .GET());

        assertThat(first.get("messages")).hasSize(15);
        assertThat(first.get("has_more").asBoolean()).isTrue();
        assertError(second, 429, "ratelimited");
        assertThat(second.headers().firstValue("Retry-After").map(Integer::parseInt))
                .hasValueSatisfying(s -> assertThat(s).isBetween(58, 60));

        slack.limitHistoryCalls(Duration.ofMillis(300));
        Thread.sleep(350);
        assertThat(get("conversations.history?channel=C0SALES&limit=200", TOKEN)
                        .get("ok")
                        .asBoolean())
                .isTrue();
        HttpResponse<String> tooSoon =
                send(request("conversations.history?channel=C0SALES", TOKEN).GET());
        assertError(tooSoon, 429, "ratelimited");
        assertThat(tooSoon.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void errorsAreOkFalseOnHttp200() throws Exception {
        slack.addChannelWithoutBot("C0OTHER", "other")
                .addChannel("C0OLD", "old")
                .archiveChannel("C0OLD");

        assertThat(postRaw("{\"channel\":\"C0NOPE\",\"text\":\"x\"}", TOKEN))
                .satisfies(r -> assertError(r, 200, "channel_not_found"));
        assertThat(postRaw("{\"channel\":\"C0OTHER\",\"text\":\"x\"}", TOKEN))
                .satisfies(r -> assertError(r, 200, "not_in_channel"));
        assertThat(postRaw("{\"channel\":\"C0OLD\",\"text\":\"x\"}", TOKEN))
                .satisfies(r -> assertError(r, 200, "is_archived"));
        assertThat(postRaw("{\"channel\":\"C0SALES\"}", TOKEN)).satisfies(r -> assertError(r, 200, "no_text"));
        assertThat(postRaw(
                        "{\"channel\":\"C0SALES\",\"text\":\"" + "x".repeat(SlackSandbox.MAX_TEXT_LENGTH + 1) + "\"}",
                        TOKEN))
                .satisfies(r -> assertError(r, 200, "msg_too_long"));
        assertThat(postRaw("{\"channel\":\"C0SALES\",\"text\":\"x\",\"metadata\":{\"event_type\":\"t\"}}", TOKEN))
                .satisfies(r -> assertError(r, 200, "invalid_metadata_format"));
        assertThat(postRaw("{\"channel\":\"C0SALES\",\"text\":\"x\"}", "xoxb-wrong"))
                .satisfies(r -> assertError(r, 200, "invalid_auth"));
        assertThat(postRaw("{\"channel\":\"C0SALES\",\"text\":\"x\"}", null))
                .satisfies(r -> assertError(r, 200, "not_authed"));
        slack.revokeTokens(TOKEN);
        assertThat(postRaw("{\"channel\":\"C0SALES\",\"text\":\"x\"}", TOKEN))
                .satisfies(r -> assertError(r, 200, "token_revoked"));

        assertThat(slack.messages("C0SALES")).isEmpty();
        assertThat(slack.calls("POST", "/api/chat.postMessage"))
                .extracting(RecordedCall::status)
                .containsOnly(200);
    }

    @Test
    void morePostsThanTheChannelAllowsPerSecondAre429WithRetryAfter() throws Exception {
        slack.setPostsPerSecondPerChannel(1).addChannel("C0OTHER", "other");

        HttpResponse<String> first = postRaw("{\"channel\":\"C0SALES\",\"text\":\"a\"}", TOKEN);
        HttpResponse<String> second = postRaw("{\"channel\":\"C0SALES\",\"text\":\"b\"}", TOKEN);
        HttpResponse<String> elsewhere = postRaw("{\"channel\":\"C0OTHER\",\"text\":\"c\"}", TOKEN);
        Thread.sleep(1100);
        HttpResponse<String> later = postRaw("{\"channel\":\"C0SALES\",\"text\":\"d\"}", TOKEN);

        assertThat(first.statusCode()).isEqualTo(200);
        assertError(second, 429, "ratelimited");
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(elsewhere.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(later.body()).get("ok").asBoolean()).isTrue();
        assertThat(slack.messages("C0SALES"))
                .extracting(m -> m.get("text").asText())
                .containsExactly("a", "d");
    }

    @Test
    void injectedFaultsKeepSlacksShape() throws Exception {
        slack.failNext("POST", "/api/chat.postMessage", 1, 503)
                .rateLimitNext("POST", "/api/chat.postMessage", 1, 7)
                .rejectNext("POST", "/api/chat.postMessage", 1, 200, "channel_not_found", null);

        assertError(postRaw("{\"channel\":\"C0SALES\",\"text\":\"a\"}", TOKEN), 503, "internal_error");
        HttpResponse<String> limited = postRaw("{\"channel\":\"C0SALES\",\"text\":\"a\"}", TOKEN);
        assertError(limited, 429, "ratelimited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
        assertError(postRaw("{\"channel\":\"C0SALES\",\"text\":\"a\"}", TOKEN), 200, "channel_not_found");
        assertThat(JSON.readTree(postRaw("{\"channel\":\"C0SALES\",\"text\":\"a\"}", TOKEN)
                                .body())
                        .get("ok")
                        .asBoolean())
                .isTrue();
        assertThat(slack.messages("C0SALES")).hasSize(1);
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).isEqualTo(status);
        try {
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("ok").asBoolean()).isFalse();
            assertThat(body.get("error").asText()).isEqualTo(error);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode post(String method, String json, String token) throws Exception {
        HttpResponse<String> r = send(request(method, token)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> postRaw(String json, String token) throws Exception {
        return send(request("chat.postMessage", token)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static JsonNode get(String methodAndQuery, String token) throws Exception {
        return JSON.readTree(send(request(methodAndQuery, token).GET()).body());
    }

    private static HttpRequest.Builder request(String methodAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(slack.baseUrl() + "/api/" + methodAndQuery));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
