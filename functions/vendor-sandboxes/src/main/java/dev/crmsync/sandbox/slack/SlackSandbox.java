package dev.crmsync.sandbox.slack;

import static dev.crmsync.sandbox.slack.SlackReplies.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A local Slack Web API: {@code chat.postMessage} and {@code conversations.history} with message
 * metadata, on channels the bot is or is not a member of.
 *
 * <ul>
 *   <li>Errors come back as HTTP 200 {@code {"ok":false,"error":…}} ({@code channel_not_found},
 *       {@code not_in_channel}, {@code is_archived}, {@code msg_too_long}, {@code no_text},
 *       {@code invalid_metadata_format}, {@code invalid_auth}, {@code not_authed}, …); only a rate
 *       limit uses a status: 429 {@code ratelimited} with {@code Retry-After} in seconds. An
 *       injected 5xx ({@link #failNext}) answers {@code internal_error} with that status.
 *   <li>{@code chat.postMessage} allows {@link #setPostsPerSecondPerChannel about one message per
 *       second per channel}; past that it answers 429 with {@code Retry-After: 1}.
 *   <li>{@code conversations.history} lists a channel's messages newest first, after {@code oldest}
 *       and before {@code latest} (both exclusive unless {@code inclusive=true}), {@code limit} per page
 *       (at most {@link #capHistoryPage the page cap}), with a {@code response_metadata.next_cursor}
 *       while more remain; a message's {@code metadata} is included only with
 *       {@code include_all_metadata=true} (https://docs.slack.dev/reference/methods/conversations.history).
 *       {@link #limitHistoryCalls} imposes the limits Slack gives commercially distributed
 *       non-Marketplace apps created after 2025-05-29: one call a minute and at most 15 messages a page
 *       (https://docs.slack.dev/apis/web-api/rate-limits), answered with 429 and {@code Retry-After}.
 *   <li>Bearer auth with a bot token ({@code xoxb-…}); a revoked token answers {@code token_revoked}.
 * </ul>
 *
 * <p>Channels: {@link #addChannel}, {@link #addChannelWithoutBot}, {@link #archiveChannel}. After
 * {@link #reset()} there are none.
 */
public final class SlackSandbox extends VendorSandbox<SlackSandbox> {

    /** Slack's documented limit of a message's {@code text}. */
    public static final int MAX_TEXT_LENGTH = 40_000;

    /**
     * The history limits of a commercially distributed non-Marketplace app created after 2025-05-29:
     * at most 15 messages a page and one call a minute (https://docs.slack.dev/apis/web-api/rate-limits).
     */
    public static final int LIMITED_APP_HISTORY_PAGE = 15;

    public static final Duration LIMITED_APP_HISTORY_INTERVAL = Duration.ofMinutes(1);

    private final Workspace workspace = new Workspace();
    private final PostMessageEndpoint postMessage = new PostMessageEndpoint(workspace);
    private final HistoryEndpoint history = new HistoryEndpoint(workspace);

    private SlackSandbox() {
        super("slack");
    }

    /** One Slack sandbox per test JVM, started on first use and stopped at exit. */
    public static SlackSandbox shared() {
        return shared(SlackSandbox.class, SlackSandbox::start);
    }

    /** Starts a Slack sandbox on 127.0.0.1 with a free port. */
    public static SlackSandbox start() {
        return new SlackSandbox().startServer();
    }

    // ---------------------------------------------------------------- configuration

    /** A public channel the bot is a member of. */
    public SlackSandbox addChannel(String id, String name) {
        return putChannel(new Channel(id, name, true));
    }

    /** A channel the bot has not joined: posting answers {@code not_in_channel}. */
    public SlackSandbox addChannelWithoutBot(String id, String name) {
        return putChannel(new Channel(id, name, false));
    }

    /** The channel is archived from now on: posting answers {@code is_archived}. */
    public SlackSandbox archiveChannel(String id) {
        synchronized (workspace.lock) {
            workspace.channels.get(id).archived = true;
        }
        return this;
    }

    /** Tokens refused from now on with {@code token_revoked} (a reinstalled app, a rotated token). */
    public SlackSandbox revokeTokens(String... tokens) {
        revokeApiKeys(tokens);
        synchronized (workspace.lock) {
            for (String token : tokens) {
                workspace.revokedTokens.put(token, "token_revoked");
            }
        }
        return this;
    }

    /** Messages one channel accepts per second before answering 429 (default 1; 0 for no limit). */
    public SlackSandbox setPostsPerSecondPerChannel(int perSecond) {
        synchronized (workspace.lock) {
            workspace.postsPerSecond = perSecond;
        }
        return this;
    }

    /**
     * The next {@code times} {@code chat.postMessage} calls hit the workspace-wide posting limit:
     * HTTP 200 {@code {"ok":false,"error":"rate_limited"}}, "Application has posted too many
     * messages", without Retry-After (https://docs.slack.dev/reference/methods/chat.postMessage).
     */
    public SlackSandbox rejectWorkspacePostingLimit(int times) {
        return rejectNext(
                "POST",
                "/api/chat\\.postMessage",
                times,
                200,
                "rate_limited",
                "[ERROR] Application has posted too many messages, see "
                        + "https://docs.slack.dev/apis/web-api/rate-limits");
    }

    /** At most this many messages per {@code conversations.history} page, whatever {@code limit} asks (default 999). */
    public SlackSandbox capHistoryPage(int messages) {
        synchronized (workspace.lock) {
            workspace.historyPageCap = messages;
        }
        return this;
    }

    /**
     * At most one {@code conversations.history} call per {@code interval} (Slack's limited apps get one a
     * minute, {@link #LIMITED_APP_HISTORY_INTERVAL}); a call sooner answers 429 {@code ratelimited} with
     * {@code Retry-After} in whole seconds until the next is allowed. {@link Duration#ZERO} lifts it.
     */
    public SlackSandbox limitHistoryCalls(Duration interval) {
        synchronized (workspace.lock) {
            workspace.historyInterval = interval;
            workspace.historyCalls.clear();
        }
        return this;
    }

    /** A message a person posted in the channel now (no metadata): the traffic a lookup pages through. */
    public SlackSandbox addMessageFromAPerson(String channelId, String text) {
        synchronized (workspace.lock) {
            workspace
                    .channels
                    .get(channelId)
                    .messages
                    .add(JSON.createObjectNode()
                            .put("type", "message")
                            .put("user", "U0PERSON")
                            .put("text", text)
                            .put("ts", workspace.nextTs(Instant.now())));
        }
        return this;
    }

    // ---------------------------------------------------------------- what the tests read

    /** The messages of a channel in the order they were posted, as Slack stores them (with metadata). */
    public List<JsonNode> messages(String channelId) {
        synchronized (workspace.lock) {
            Channel channel = workspace.channels.get(channelId);
            return channel == null
                    ? List.of()
                    : channel.messages.stream()
                            .map(m -> (JsonNode) m.deepCopy())
                            .toList();
        }
    }

    // ---------------------------------------------------------------- the vendor

    @Override
    protected ApiKeyScheme apiKeyScheme() {
        return ApiKeyScheme.bearer();
    }

    @Override
    protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
        String revokedAs = null;
        if (error instanceof SandboxError.Unauthorized(String token) && token != null) {
            synchronized (workspace.lock) {
                revokedAs = workspace.revokedTokens.get(token);
            }
        }
        return SlackReplies.errorReply(error, revokedAs);
    }

    @Override
    protected SandboxReply route(SandboxRequest request) {
        if (request.malformed() != null) {
            throw new Rejection(200, "invalid_json", request.malformed());
        }
        return switch (request.path()) {
            case "/api/chat.postMessage" -> postMessage.postMessage(request);
            case "/api/conversations.history" -> history.history(request);
            default -> throw new Rejection(404, "unknown_method", request.path());
        };
    }

    @Override
    protected void resetState() {
        synchronized (workspace.lock) {
            workspace.reset();
        }
    }

    private SlackSandbox putChannel(Channel channel) {
        synchronized (workspace.lock) {
            workspace.channels.put(channel.id, channel);
        }
        return this;
    }
}
