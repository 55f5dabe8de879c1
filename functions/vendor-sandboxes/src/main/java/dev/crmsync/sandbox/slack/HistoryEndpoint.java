package dev.crmsync.sandbox.slack;

import static dev.crmsync.sandbox.slack.SlackReplies.JSON;
import static dev.crmsync.sandbox.slack.SlackReplies.arguments;
import static dev.crmsync.sandbox.slack.SlackReplies.decimal;
import static dev.crmsync.sandbox.slack.SlackReplies.notOk;
import static dev.crmsync.sandbox.slack.SlackReplies.textOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code conversations.history} (https://docs.slack.dev/reference/methods/conversations.history):
 * a channel's messages newest first between {@code oldest} and {@code latest}, paged by cursor,
 * metadata only on request, under the history limits the workspace sets.
 */
final class HistoryEndpoint {
    private final Workspace workspace;

    HistoryEndpoint(Workspace workspace) {
        this.workspace = workspace;
    }

    SandboxReply history(SandboxRequest request) {
        Map<String, JsonNode> args = arguments(request);
        boolean withMetadata = "true".equals(textOf(args.get("include_all_metadata")));
        BigDecimal oldest = decimal(args.get("oldest"), "0");
        BigDecimal latest = args.get("latest") == null ? null : decimal(args.get("latest"), "0");
        boolean inclusive = "true".equals(textOf(args.get("inclusive"))) || "1".equals(textOf(args.get("inclusive")));
        int limit = Math.max(1, Math.min(999, decimal(args.get("limit"), "100").intValue()));
        String cursor = textOf(args.get("cursor"));
        synchronized (workspace.lock) {
            Instant now = request.at();
            if (!workspace.historyInterval.isZero()) {
                if (workspace.historyCalls.countWithin(workspace.historyInterval, now) > 0) {
                    int seconds = workspace.historyCalls.retryAfterSeconds(workspace.historyInterval, now);
                    return notOk(429, "ratelimited").withHeader("Retry-After", Integer.toString(seconds));
                }
                workspace.historyCalls.add(now);
            }
            Channel channel = workspace.channelOf(args.get("channel"));
            if (!channel.member) {
                throw new Rejection(200, "not_in_channel", null);
            }
            int pageSize = Math.min(limit, workspace.historyPageCap);
            List<ObjectNode> newestFirst = new ArrayList<>();
            for (int i = channel.messages.size() - 1; i >= 0; i--) {
                ObjectNode m = channel.messages.get(i);
                BigDecimal ts = new BigDecimal(m.get("ts").asText());
                int afterOldest = ts.compareTo(oldest);
                int beforeLatest = latest == null ? -1 : ts.compareTo(latest);
                if ((inclusive ? afterOldest >= 0 : afterOldest > 0)
                        && (inclusive ? beforeLatest <= 0 : beforeLatest < 0)) {
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
}
