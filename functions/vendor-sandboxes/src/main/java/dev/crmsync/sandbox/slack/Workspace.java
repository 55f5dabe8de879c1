package dev.crmsync.sandbox.slack;

import static dev.crmsync.sandbox.slack.SlackReplies.textOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.sandbox.SlidingWindow;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One Slack workspace: its channels, the tokens revoked and how, the limits tests set, and the
 * message timestamps it hands out. Everything here is guarded by {@link #lock}.
 */
final class Workspace {
    final Object lock = new Object();
    final Map<String, Channel> channels = new LinkedHashMap<>();
    final Map<String, String> revokedTokens = new HashMap<>();
    int postsPerSecond = 1;
    int historyPageCap = 999;
    Duration historyInterval = Duration.ZERO;
    /** The {@code conversations.history} calls within {@link #historyInterval}. */
    final SlidingWindow historyCalls = new SlidingWindow();

    private long lastTsMicros;

    void reset() {
        channels.clear();
        revokedTokens.clear();
        postsPerSecond = 1;
        historyPageCap = 999;
        historyInterval = Duration.ZERO;
        historyCalls.clear();
    }

    Channel channelOf(JsonNode argument) {
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

    String nextTs(Instant now) {
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        lastTsMicros = Math.max(micros, lastTsMicros + 1);
        return String.format(Locale.ROOT, "%d.%06d", lastTsMicros / 1_000_000L, lastTsMicros % 1_000_000L);
    }
}
