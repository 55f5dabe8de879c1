package dev.crmsync.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.VendorHttp;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Slack's Web API wire format: Bearer auth with the bot token, JSON bodies for writes, query
 * parameters for reads, and errors read from the body's {@code ok} and {@code error} — Slack answers
 * almost every error with HTTP 200. Only a rate limit (429 + {@code Retry-After} in seconds) and an
 * outage (5xx) use the status.
 */
final class SlackClient {
    /** The bot token was refused: the pipeline re-reads the secret once (it may have been rotated), then fails. */
    private static final Set<String> UNAUTHORIZED =
            Set.of("invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive");
    /** Slack's own trouble, worth another try later. */
    private static final Set<String> TRANSIENT =
            Set.of("internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org");
    /** What on-call does about a refusal no retry can fix; any other error is reported by its name only. */
    private static final Map<String, String> HINTS = Map.of(
            "channel_not_found",
                    "check CRM_SYNC_OPTION_CHANNEL: it must be the ID (C…) of a channel that exists in the bot's "
                            + "workspace",
            "not_in_channel", "invite the app to the channel (/invite @<app> in the channel)",
            "is_archived", "the channel is archived: unarchive it or set CRM_SYNC_OPTION_CHANNEL to another channel",
            "missing_scope",
                    "the app needs the chat:write and channels:history scopes (groups:history for a private channel)",
            "msg_too_long", "the message is longer than Slack's 40,000 characters",
            "invalid_metadata_format", "the message metadata was refused",
            "restricted_action", "a workspace admin restricts who may post in this channel");

    /** How long to wait after the workspace-wide posting limit, which names no Retry-After. */
    private static final Duration WORKSPACE_POSTING_BACKOFF = Duration.ofSeconds(30);

    /** The prefix of a token that token rotation made: it expires after 12 hours. */
    private static final String ROTATING_TOKEN_PREFIX = "xoxe.";

    private final URI baseUrl;
    private final VendorHttp http;

    SlackClient(URI baseUrl, HttpClient http, ObjectMapper mapper) {
        this.baseUrl = baseUrl;
        this.http = new VendorHttp(http, mapper);
    }

    /** A write method ({@code chat.postMessage}) with a JSON body; the {@code ok:true} answer. */
    JsonNode post(String method, JsonNode body, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        return send(
                method,
                credentials,
                calls,
                request -> request.uri(baseUrl.resolve("api/" + method))
                        .header("Content-Type", "application/json; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    /** A read method ({@code conversations.history}) with query parameters; the {@code ok:true} answer. */
    JsonNode get(String method, Map<String, String> params, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> query.add(encode(k) + "=" + encode(v)));
        return send(
                method,
                credentials,
                calls,
                request -> request.uri(baseUrl.resolve("api/" + method + "?" + query))
                        .GET());
    }

    private JsonNode send(
            String method,
            Credentials credentials,
            CallBudget calls,
            java.util.function.UnaryOperator<HttpRequest.Builder> specifics)
            throws VendorHttp.CallFailed {
        String token = VendorHttp.secret(credentials, "botToken", method);
        if (token.startsWith(ROTATING_TOKEN_PREFIX)) {
            // With token rotation on, a bot token (xoxe.xoxb-…) expires after 12 hours and needs the
            // app's client secret to refresh (https://docs.slack.dev/authentication/using-token-rotation);
            // refused before any call rather than failing every record half a day after deployment.
            throw new VendorHttp.CallFailed(new SyncFailure.Permanent(
                    ErrorClass.CONFIGURATION,
                    method
                            + ": the secret's botToken is a rotating token (xoxe.…), which expires after 12 h; turn "
                            + "token rotation off"
                            + " for the app and put its long-lived xoxb- bot token in the secret"));
        }
        HttpResponse<String> response = http.send(
                method,
                calls,
                message -> message.replace(token, "****"),
                request -> specifics.apply(request).header("Authorization", "Bearer " + token));
        JsonNode body = http.json(response.body());
        Optional<SyncFailure> failure = classify(method, response.statusCode(), body, VendorHttp.retryAfter(response));
        if (failure.isPresent()) {
            throw new VendorHttp.CallFailed(failure.get());
        }
        return body;
    }

    /** Empty for an {@code ok:true} answer; otherwise what the status and Slack's {@code error} mean. */
    static Optional<SyncFailure> classify(String method, int status, JsonNode body, Optional<Duration> retryAfter) {
        String error = body.path("error").asText("");
        String what = method + " → " + status + (error.isEmpty() ? "" : " " + error);
        if (status == 429 || error.equals("ratelimited")) {
            // Slack's special limit on chat.postMessage is about one message per second per channel.
            return Optional.of(new SyncFailure.Retryable(
                    ErrorClass.RATE_LIMITED, what, retryAfter.or(() -> Optional.of(Duration.ofSeconds(1)))));
        }
        if (error.equals("rate_limited")) {
            // HTTP 200 ok:false, chat.postMessage's "Application has posted too many messages" — the
            // workspace-wide posting limit (https://docs.slack.dev/reference/methods/chat.postMessage,
            // https://docs.slack.dev/apis/web-api/rate-limits). It passes; it comes without Retry-After.
            return Optional.of(new SyncFailure.Retryable(
                    ErrorClass.RATE_LIMITED, what, retryAfter.or(() -> Optional.of(WORKSPACE_POSTING_BACKOFF))));
        }
        if (status >= 500 || TRANSIENT.contains(error)) {
            return Optional.of(new SyncFailure.Retryable(ErrorClass.VENDOR_5XX, what, retryAfter));
        }
        if (status >= 200 && status < 300 && body.path("ok").asBoolean(false)) {
            return Optional.empty();
        }
        if (error.equals("token_expired")) {
            return Optional.of(new SyncFailure.Unauthorized(what
                    + ": the bot token expired — token rotation is on for the app; turn it off and "
                    + "put a long-lived xoxb- bot token in the secret"));
        }
        if (UNAUTHORIZED.contains(error)) {
            return Optional.of(new SyncFailure.Unauthorized(what + ": the bot token was refused"));
        }
        String hint = HINTS.get(error);
        if (error.isEmpty()) {
            return Optional.of(
                    new SyncFailure.Permanent(ErrorClass.VENDOR_REJECTED, what + ": an answer without ok:true"));
        }
        return Optional.of(
                new SyncFailure.Permanent(ErrorClass.VENDOR_REJECTED, hint == null ? what : what + " — " + hint));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
