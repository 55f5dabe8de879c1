package dev.crmsync.marketing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.VendorHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mailchimp's wire format: JSON bodies, HTTP Basic auth (any user name, the API key as password),
 * the data centre taken from the key's suffix ({@code …-us21} → {@code https://us21.api.mailchimp.com/}),
 * and errors read from the {@code application/problem+json} body ({@code title}, {@code detail},
 * {@code errors[]}), not from the status code alone.
 */
final class MailchimpClient {
    /** Titles of a 400 that no retry can fix for this contact. */
    static final Set<String> CONTACT_REFUSED = Set.of("Member In Compliance State", "Forgotten Email Not Subscribed");

    private static final Pattern DATA_CENTRE = Pattern.compile("[a-z]{2,4}[0-9]{1,3}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"',;:<>()]+@[^@\\s\"',;:<>()]+");
    private static final int MAX_REASON = 600;
    /**
     * The detail of Mailchimp's signup throttle (400 Invalid Resource), reported by its users:
     * https://github.com/ibericode/mailchimp-for-wordpress/issues/506 and /771.
     */
    private static final String SIGNUP_THROTTLE = "signed up to a lot of lists very recently";
    /** No wait is documented; retrying sooner only meets the throttle again. */
    private static final Duration SIGNUP_THROTTLE_WAIT = Duration.ofMinutes(30);

    private final Optional<URI> vendorUrl;
    private final VendorHttp http;

    /** @param vendorUrl {@code CRM_SYNC_VENDOR_URL} (tests, local run); when empty the key's data centre decides */
    MailchimpClient(Optional<URI> vendorUrl, HttpClient http, ObjectMapper json) {
        this.vendorUrl = vendorUrl;
        this.http = new VendorHttp(http, json);
    }

    /** A Mailchimp answer: its status and parsed body (empty object when none). */
    record Answer(int status, JsonNode body) {}

    /**
     * Sends the call; a 2xx, or a status in {@code alsoFine} (a 404 on an archive: already gone), is
     * returned, anything else is classified and thrown.
     */
    Answer send(
            String method, String path, JsonNode body, Credentials credentials, CallBudget calls, Set<Integer> alsoFine)
            throws VendorHttp.CallFailed {
        String call = method + " " + path.replaceAll("/members/[0-9a-f]{32}", "/members/{hash}");
        String apiKey = VendorHttp.secret(credentials, "apiKey", call);
        URI base = baseUrl(apiKey, call);
        String authorization =
                "Basic " + Base64.getEncoder().encodeToString(("crm-sync:" + apiKey).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(call, calls, credentials::redact, request -> {
            request.uri(base.resolve(path))
                    .header("Authorization", authorization)
                    .header("Accept", "application/json");
            if (body != null) {
                return request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            }
            return request.method(method, HttpRequest.BodyPublishers.noBody());
        });
        int status = response.statusCode();
        JsonNode parsed = http.json(response.body());
        if ((status >= 200 && status < 300) || alsoFine.contains(status)) {
            return new Answer(status, parsed);
        }
        throw new VendorHttp.CallFailed(classify(call, status, parsed, response));
    }

    /** The configured URL, or the key's data centre: Mailchimp serves each account from one of them. */
    private URI baseUrl(String apiKey, String call) throws VendorHttp.CallFailed {
        if (vendorUrl.isPresent()) {
            String url = vendorUrl.get().toString();
            return URI.create(url.endsWith("/") ? url : url + "/");
        }
        int dash = apiKey.lastIndexOf('-');
        String dc = dash < 0 ? "" : apiKey.substring(dash + 1);
        if (!DATA_CENTRE.matcher(dc).matches()) {
            throw new VendorHttp.CallFailed(
                    new SyncFailure.Unauthorized(call + " not sent: the integration secret's 'apiKey' value"
                            + " does not end in a data centre (like -us21), so the account's API host is unknown"));
        }
        return URI.create("https://" + dc + ".api.mailchimp.com/");
    }

    private static SyncFailure classify(String call, int status, JsonNode problem, HttpResponse<?> response) {
        String title = problem.path("title").asText("");
        String reason = reason(call, status, problem);
        if (status == 401) {
            return new SyncFailure.Unauthorized(call + " → 401 " + title + ": the API key was rejected");
        }
        if (status == 429) {
            // Mailchimp promises no Retry-After; without one the pipeline's own backoff (with jitter) decides.
            return new SyncFailure.Retryable(ErrorClass.RATE_LIMITED, reason, VendorHttp.retryAfter(response));
        }
        if (status >= 500) {
            return new SyncFailure.Retryable(ErrorClass.VENDOR_5XX, reason, VendorHttp.retryAfter(response));
        }
        if (status == 400 && problem.path("detail").asText("").contains(SIGNUP_THROTTLE)) {
            // A time-based throttle on one address, not a refusal of the data: it passes, so it is
            // retried, and not sooner than the long wait Mailchimp's users report it takes.
            return new SyncFailure.Retryable(
                    ErrorClass.RATE_LIMITED,
                    reason + " — Mailchimp's signup throttle for this address; retried later",
                    Optional.of(SIGNUP_THROTTLE_WAIT));
        }
        if (status == 400 && CONTACT_REFUSED.contains(title)) {
            return new SyncFailure.Permanent(
                    ErrorClass.MEMBER_REFUSED,
                    reason + " — Mailchimp refuses this e-mail address for this audience; nothing to retry");
        }
        return new SyncFailure.Permanent(ErrorClass.VENDOR_REJECTED, reason);
    }

    /** title, detail, errors[] and instance of the problem; e-mail addresses in them are masked (personal data). */
    private static String reason(String call, int status, JsonNode problem) {
        StringBuilder text = new StringBuilder(call).append(" → ").append(status);
        String title = problem.path("title").asText("");
        if (!title.isEmpty()) {
            text.append(' ').append(title);
        }
        String detail = problem.path("detail").asText("");
        if (!detail.isEmpty()) {
            text.append(": ").append(detail);
        }
        for (JsonNode error : problem.path("errors")) {
            text.append(" [")
                    .append(error.path("field").asText(""))
                    .append(": ")
                    .append(error.path("message").asText(""))
                    .append(']');
        }
        String instance = problem.path("instance").asText("");
        if (!instance.isEmpty()) {
            text.append(" (instance ").append(instance).append(')');
        }
        String masked = EMAIL.matcher(text).replaceAll("[e-mail]");
        return masked.length() <= MAX_REASON ? masked : masked.substring(0, MAX_REASON) + "…";
    }
}
