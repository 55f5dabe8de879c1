package dev.crmsync.sandbox.slack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SlidingWindow;
import java.util.ArrayList;
import java.util.List;

/** A channel: its messages in the order they were posted, and its recent posts for the per-channel limit. */
final class Channel {
    final String id;
    final String name;
    /** Whether the bot is a member. */
    final boolean member;

    boolean archived;
    final List<ObjectNode> messages = new ArrayList<>();
    final SlidingWindow recentPosts = new SlidingWindow();

    Channel(String id, String name, boolean member) {
        this.id = id;
        this.name = name;
        this.member = member;
    }
}
