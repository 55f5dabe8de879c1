package dev.crmsync.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random faults on a real sandbox (Mailchimp's member PUT): each kind strikes first once, then at
 * the seeded rate; the request log tells which calls changed the vendor's state.
 */
class RandomFaultsTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef-us21";
    private static final String LIST = "a1b2c3d4e5";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static MailchimpSandbox mailchimp;

    @BeforeAll
    static void start() {
        mailchimp = MailchimpSandbox.start();
        mailchimp.acceptApiKeys(KEY).createList(LIST);
    }

    @AfterAll
    static void stop() {
        mailchimp.close();
    }

    @Test
    void everyKindStrikesOnceFirstAndTheLogSaysWhichCallsChangedState() throws Exception {
        RandomFaults faults = new RandomFaults(
                7,
                0.0,
                "PUT",
                "/3\\.0/lists/[^/]+/members/[0-9a-f]{32}",
                List.of(RandomFaults.Kind.values()),
                Duration.ofMillis(300));
        mailchimp.randomFaults(faults);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < RandomFaults.Kind.values().length + 2; i++) {
            statuses.add(put("dana" + i + "@acme.example"));
        }
        mailchimp.randomFaults(null);

        // SERVER_ERROR, AFTER_START, AFTER_WORK, 429 with and without Retry-After, TIMEOUT (answered, late), RESET,
        // then none (probability 0)
        assertThat(statuses).containsExactly(503, 500, 500, 429, 429, 200, -1, 200, 200);
        assertThat(faults.injected().values()).allMatch(count -> count == 1);
        List<Boolean> changed =
                mailchimp.calls().stream().map(RecordedCall::changedState).toList();
        assertThat(changed).containsExactly(false, false, true, false, false, true, false, true, true);
        assertThat(mailchimp.members()).hasSize(4); // after work, the timeout and the two without a fault
    }

    /** The status of a member PUT, -1 when the connection was reset. */
    private static int put(String email) throws Exception {
        String hash = MailchimpSandbox.subscriberHash(email);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(mailchimp.baseUrl() + "/3.0/lists/" + LIST + "/members/" + hash))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(("any:" + KEY).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"email_address\":\"" + email + "\",\"status_if_new\":\"subscribed\"}"))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.io.IOException reset) {
            return -1;
        }
    }
}
