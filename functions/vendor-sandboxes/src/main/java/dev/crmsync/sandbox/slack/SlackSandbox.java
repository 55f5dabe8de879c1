package dev.crmsync.sandbox.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Object lock = new Object();
    private final Map<String, Channel> channels = new LinkedHashMap<>(); // guarded by lock
    private final Map<String, String> revokedTokens = new HashMap<>(); // guarded by lock
    private int postsPerSecond = 1; // guarded by lock
    /**
     * The history limits of a commercially distributed non-Marketplace app created after 2025-05-29:
     * at most 15 messages a page and one call a minute (https://docs.slack.dev/apis/web-api/rate-limits).
     */
    public static final int LIMITED_APP_HISTORY_PAGE = 15;
    public static final Duration LIMITED_APP_HISTORY_INTERVAL = Duration.ofMinutes(1);

    private int historyPageCap = 999; // guarded by lock
    private Duration historyInterval = Duration.ZERO; // guarded by lock
    private Instant lastHistoryCall = Instant.MIN; // guarded by lock
    private long lastTsMicros; // guarded by lock

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
        synchronized (lock) {
            channels.get(id).archived = true;
        }
        return this;
    }

    /** Tokens refused from now on with {@code token_revoked} (a reinstalled app, a rotated token). */
    public SlackSandbox revokeTokens(String... tokens) {
        revokeApiKeys(tokens);
        synchronized (lock) {
            for (String token : tokens) {
                revokedTokens.put(token, "token_revoked");
            }
        }
        return this;
    }

    /** Messages one channel accepts per second before answering 429 (default 1; 0 for no limit). */
    public SlackSandbox setPostsPerSecondPerChannel(int perSecond) {
        synchronized (lock) {
            postsPerSecond = perSecond;
        }
        return this;
    }

    /**
     * The next {@code times} {@code chat.postMessage} calls hit the workspace-wide posting limit:
     * HTTP 200 {@code {"ok":false,"error":"rate_limited"}}, "Application has posted too many
     * messages", without Retry-After (https://docs.slack.dev/reference/methods/chat.postMessage).
     */
    public SlackSandbox rejectWorkspacePostingLimit(int times) {
        return rejectNext("POST", "/api/chat\\.postMessage", times, 200, "rate_limited",
                "[ERROR] Application has posted too many messages, see https://docs.slack.dev/apis/web-api/rate-limits");
    }

    /** At most this many messages per {@code conversations.history} page, whatever {@code limit} asks (default 999). */
    public SlackSandbox capHistoryPage(int messages) {
        synchronized (lock) {
            historyPageCap = messages;
        }
        return this;
    }

    /**
     * At most one {@code conversations.history} call per {@code interval} (Slack's limited apps get one a
     * minute, {@link #LIMITED_APP_HISTORY_INTERVAL}); a call sooner answers 429 {@code ratelimited} with
     * {@code Retry-After} in whole seconds until the next is allowed. {@link Duration#ZERO} lifts it.
     */
    public SlackSandbox limitHistoryCalls(Duration interval) {
        synchronized (lock) {
            historyInterval = interval;
            lastHistoryCall = Instant.MIN;
        }
        return this;
    }

    /** A message a person posted in the channel now (no metadata): the traffic a lookup pages through. */
    public SlackSandbox addMessageFromAPerson(String channelId, String text) {
        synchronized (lock) {
            channels.get(channelId).messages.add(JSON.createObjectNode()
                    .put("type", "message").put("user", "U0PERSON").put("text", text).put("ts", nextTs(Instant.now())));
        }
        return this;
    }

    // ---------------------------------------------------------------- what the tests read

    /** The messages of a channel in the order they were posted, as Slack stores them (with metadata). */
    public List<JsonNode> messages(String channelId) {
        synchronized (lock) {
            Channel channel = channels.get(channelId);
            return channel == null ? List.of() : channel.messages.stream().map(m -> (JsonNode) m.deepCopy()).toList();
        }
    }

    // ---------------------------------------------------------------- the vendor

    @Override
    protected ApiKeyScheme apiKeyScheme() {
        return ApiKeyScheme.bearer();
    }

    @Override
    protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
        return switch (error) {
            case SandboxError.Failure(int status, String cause) -> {
                if (status == 429) {
                    yield notOk(429, "ratelimited").withHeader("Retry-After", "1");
                }
                ObjectNode body = JSON.createObjectNode().put("ok", false).put("error", status >= 500 ? "internal_error" : "invalid_request");
                if (cause != null) {
                    body.put("detail", cause);
                }
                yield SandboxReply.json(status, body);
            }
            case SandboxError.RateLimited(int seconds) -> notOk(429, "ratelimited").withHeader("Retry-After", Integer.toString(seconds));
            case SandboxError.Rejected(int status, String name, String message) -> {
                ObjectNode body = JSON.createObjectNode().put("ok", false).put("error", name);
                if (message != null) {
                    body.putArray("response_metadata").add(message);
                }
                yield SandboxReply.json(status, body);
            }
            case SandboxError.Unauthorized(String token) -> {
                String revoked;
                synchronized (lock) {
                    revoked = token == null ? null : revokedTokens.get(token);
                }
                yield notOk(200, token == null ? "not_authed" : revoked != null ? revoked : "invalid_auth");
            }
        };
    }

    @Override
    protected SandboxReply route(SandboxRequest request) {
        if (request.malformed() != null) {
            throw new Rejection(200, "invalid_json", request.malformed());
        }
        return switch (request.path()) {
            case "/api/chat.postMessage" -> postMessage(request);
            case "/api/conversations.history" -> history(request);
            default -> throw new Rejection(404, "unknown_method", request.path());
        };
    }

    @Override
    protected void resetState() {
        synchronized (lock) {
            channels.clear();
            revokedTokens.clear();
            postsPerSecond = 1;
            historyPageCap = 999;
            historyInterval = Duration.ZERO;
            lastHistoryCall = Instant.MIN;
        }
    }

    private SandboxReply postMessage(SandboxRequest request) {
        Map<String, JsonNode> args = arguments(request);
        String text = textOf(args.get("text"));
        JsonNode blocks = args.get("blocks");
        JsonNode metadata = args.get("metadata");
        if (metadata != null && metadata.isTextual()) {
            metadata = parse(metadata.asText(), "invalid_metadata_format");
        }
        if (metadata != null && (!metadata.path("event_type").isTextual() || !metadata.path("event_payload").isObject())) {
            throw new Rejection(200, "invalid_metadata_format", "metadata needs event_type (string) and event_payload (object)");
        }
        synchronized (lock) {
            Channel channel = channelOf(args.get("channel"));
            if (!channel.member) {
                throw new Rejection(200, "not_in_channel", null);
            }
            if (channel.archived) {
                throw new Rejection(200, "is_archived", null);
            }
            if ((text == null || text.isBlank()) && (blocks == null || blocks.isEmpty())) {
                throw new Rejection(200, "no_text", null);
            }
            if (text != null && text.length() > MAX_TEXT_LENGTH) {
                throw new Rejection(200, "msg_too_long", null);
            }
            Instant now = request.at();
            while (!channel.recentPosts.isEmpty() && channel.recentPosts.peekFirst().isBefore(now.minusSeconds(1))) {
                channel.recentPosts.removeFirst();
            }
            if (postsPerSecond > 0 && channel.recentPosts.size() >= postsPerSecond) {
                return notOk(429, "ratelimited").withHeader("Retry-After", "1");
            }
            channel.recentPosts.addLast(now);

            ObjectNode message = JSON.createObjectNode()
                    .put("type", "message")
                    .put("user", "U0CRMSYNCBOT")
                    .put("bot_id", "B0CRMSYNC")
                    .put("ts", nextTs(now));
            if (text != null) {
                message.put("text", text);
            }
            if (blocks != null) {
                message.set("blocks", blocks.isTextual() ? parse(blocks.asText(), "invalid_blocks") : blocks);
            }
            if (metadata != null) {
                message.set("metadata", metadata);
            }
            channel.messages.add(message);
            ObjectNode reply = JSON.createObjectNode().put("ok", true).put("channel", channel.id).put("ts", message.get("ts").asText());
            reply.set("message", message.deepCopy());
            return SandboxReply.json(200, reply);
        }
    }

    private SandboxReply history(SandboxRequest request) {
        Map<String, JsonNode> args = arguments(request);
        boolean withMetadata = "true".equals(textOf(args.get("include_all_metadata")));
        BigDecimal oldest = decimal(args.get("oldest"), "0");
        BigDecimal latest = args.get("latest") == null ? null : decimal(args.get("latest"), "0");
        boolean inclusive = "true".equals(textOf(args.get("inclusive"))) || "1".equals(textOf(args.get("inclusive")));
        int limit = Math.max(1, Math.min(999, decimal(args.get("limit"), "100").intValue()));
        String cursor = textOf(args.get("cursor"));
        synchronized (lock) {
            Instant now = request.at();
            if (!historyInterval.isZero() && lastHistoryCall.plus(historyInterval).isAfter(now)) {
                long seconds = Math.max(1, Math.ceilDiv(Duration.between(now, lastHistoryCall.plus(historyInterval)).toMillis(), 1000L));
                return notOk(429, "ratelimited").withHeader("Retry-After", Long.toString(seconds));
            }
            lastHistoryCall = now;
            Channel channel = channelOf(args.get("channel"));
            if (!channel.member) {
                throw new Rejection(200, "not_in_channel", null);
            }
            int pageSize = Math.min(limit, historyPageCap);
            List<ObjectNode> newestFirst = new ArrayList<>();
            for (int i = channel.messages.size() - 1; i >= 0; i--) {
                ObjectNode m = channel.messages.get(i);
                BigDecimal ts = new BigDecimal(m.get("ts").asText());
                int afterOldest = ts.compareTo(oldest);
                int beforeLatest = latest == null ? -1 : ts.compareTo(latest);
                if ((inclusive ? afterOldest >= 0 : afterOldest > 0) && (inclusive ? beforeLatest <= 0 : beforeLatest < 0)) {
                    newestFirst.add(m);
                }
            }
            int start = 0;
            if (cursor != null && !cursor.isEmpty()) {
                try {
                    start = Integer.parseInt(cursor.substring("next_ts_".length()));
                } catch (RuntimeException e) {
                    throw new Rejection(200, "invalid_cursor", cursor);
                }
            }
            int end = Math.min(newestFirst.size(), start + pageSize);
            ArrayNode page = JSON.createArrayNode();
            for (ObjectNode m : newestFirst.subList(Math.min(start, end), end)) {
                ObjectNode copy = m.deepCopy();
                if (!withMetadata) {
                    copy.remove("metadata");
                }
                page.add(copy);
            }
            boolean more = end < newestFirst.size();
            ObjectNode reply = JSON.createObjectNode().put("ok", true);
            reply.set("messages", page);
            reply.put("has_more", more);
            reply.put("pin_count", 0);
            reply.putObject("response_metadata").put("next_cursor", more ? "next_ts_" + end : "");
            return SandboxReply.json(200, reply);
        }
    }

    /** JSON body fields, or form and query parameters, as Slack accepts either. */
    private static Map<String, JsonNode> arguments(SandboxRequest request) {
        Map<String, JsonNode> args = new LinkedHashMap<>();
        request.params().forEach((k, v) -> args.put(k, JSON.getNodeFactory().textNode(v)));
        if (request.json() != null) {
            request.json().properties().forEach(e -> args.put(e.getKey(), e.getValue()));
        }
        return args;
    }

    private Channel channelOf(JsonNode argument) {
        String wanted = textOf(argument);
        if (wanted == null || wanted.isBlank()) {
            throw new Rejection(200, "channel_not_found", null);
        }
        String name = wanted.startsWith("#") ? wanted.substring(1) : wanted;
        for (Channel c : channels.values()) {
            if (c.id.equals(wanted) || c.name.equals(name.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new Rejection(200, "channel_not_found", null);
    }

    private String nextTs(Instant now) {
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        lastTsMicros = Math.max(micros, lastTsMicros + 1);
        return String.format(Locale.ROOT, "%d.%06d", lastTsMicros / 1_000_000L, lastTsMicros % 1_000_000L);
    }

    private SlackSandbox putChannel(Channel channel) {
        synchronized (lock) {
            channels.put(channel.id, channel);
        }
        return this;
    }

    private static String textOf(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static BigDecimal decimal(JsonNode node, String fallback) {
        String value = textOf(node);
        try {
            return new BigDecimal(value == null || value.isBlank() ? fallback : value.trim());
        } catch (NumberFormatException e) {
            throw new Rejection(200, "invalid_arguments", "not a number: " + value);
        }
    }

    private static JsonNode parse(String json, String error) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new Rejection(200, error, e.getMessage());
        }
    }

    private static SandboxReply notOk(int status, String error) {
        return SandboxReply.json(status, JSON.createObjectNode().put("ok", false).put("error", error));
    }

    private static final class Channel {
        final String id;
        final String name;
        final boolean member;
        boolean archived;
        final List<ObjectNode> messages = new ArrayList<>();
        final Deque<Instant> recentPosts = new ArrayDeque<>();

        Channel(String id, String name, boolean member) {
            this.id = id;
            this.name = name;
            this.member = member;
        }
    }
}
