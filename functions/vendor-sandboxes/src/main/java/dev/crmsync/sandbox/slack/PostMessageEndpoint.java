package dev.crmsync.sandbox.slack;

import static dev.crmsync.sandbox.slack.SlackReplies.JSON;
import static dev.crmsync.sandbox.slack.SlackReplies.arguments;
import static dev.crmsync.sandbox.slack.SlackReplies.notOk;
import static dev.crmsync.sandbox.slack.SlackReplies.parse;
import static dev.crmsync.sandbox.slack.SlackReplies.textOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code chat.postMessage} (https://docs.slack.dev/reference/methods/chat.postMessage): text or
 * blocks, optional metadata, on a channel the bot is in and that is not archived, about one message
 * per second per channel.
 */
final class PostMessageEndpoint {
    private static final Duration ONE_SECOND = Duration.ofSeconds(1);

    private final Workspace workspace;

    PostMessageEndpoint(Workspace workspace) {
        this.workspace = workspace;
    }

    SandboxReply postMessage(SandboxRequest request) {
        Map<String, JsonNode> args = arguments(request);
        String text = textOf(args.get("text"));
        JsonNode blocks = args.get("blocks");
        JsonNode metadata = args.get("metadata");
        if (metadata != null && metadata.isTextual()) {
            metadata = parse(metadata.asText(), "invalid_metadata_format");
        }
        if (metadata != null
                && (!metadata.path("event_type").isTextual()
                        || !metadata.path("event_payload").isObject())) {
            throw new Rejection(
                    200, "invalid_metadata_format", "metadata needs event_type (string) and event_payload (object)");
        }
        synchronized (workspace.lock) {
            Channel channel = workspace.channelOf(args.get("channel"));
            if (!channel.member) {
                throw new Rejection(200, "not_in_channel", null);
            }
            if (channel.archived) {
                throw new Rejection(200, "is_archived", null);
            }
            if ((text == null || text.isBlank()) && (blocks == null || blocks.isEmpty())) {
                throw new Rejection(200, "no_text", null);
            }
            if (text != null && text.length() > SlackSandbox.MAX_TEXT_LENGTH) {
                throw new Rejection(200, "msg_too_long", null);
            }
            Instant now = request.at();
            int recent = channel.recentPosts.countWithin(ONE_SECOND, now);
            if (workspace.postsPerSecond > 0 && recent >= workspace.postsPerSecond) {
                return notOk(429, "ratelimited").withHeader("Retry-After", "1");
            }
            channel.recentPosts.add(now);

            ObjectNode message = JSON.createObjectNode()
                    .put("type", "message")
                    .put("user", "U0CRMSYNCBOT")
                    .put("bot_id", "B0CRMSYNC")
                    .put("ts", workspace.nextTs(now));
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
            ObjectNode reply = JSON.createObjectNode()
                    .put("ok", true)
                    .put("channel", channel.id)
                    .put("ts", message.get("ts").asText());
            reply.set("message", message.deepCopy());
            return SandboxReply.json(200, reply);
        }
    }
}
