package dev.crmsync.faultrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.sandbox.slack.SlackSandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Notifications as Slack holds them: the channel's messages, each naming its deal's label. */
final class SlackView implements VendorView {
    private final SlackSandbox slack;
    private final String channel;

    SlackView(SlackSandbox slack, String channel) {
        this.slack = slack;
        this.channel = channel;
    }

    @Override
    public List<StateWrite> stateWrites() {
        return List.of();
    }

    @Override
    public Map<Integer, List<Long>> liveObjects() {
        return Map.of();
    }

    @Override
    public Map<Integer, List<ActionObject>> actions() {
        Map<Integer, List<ActionObject>> actions = new HashMap<>();
        for (JsonNode message : slack.messages(channel)) {
            long[] label = CrmRecord.parseLabel(message.path("text").asText());
            if (label != null) {
                actions.computeIfAbsent((int) label[0], d -> new ArrayList<>())
                        .add(new ActionObject(message.path("ts").asText(), label[1], true));
            }
        }
        return actions;
    }

    @Override
    public List<String> orphans() {
        List<String> orphans = new ArrayList<>();
        for (JsonNode message : slack.messages(channel)) {
            if (CrmRecord.parseLabel(message.path("text").asText()) == null) {
                orphans.add("message " + message.path("ts").asText() + " names no deal");
            }
        }
        return orphans;
    }
}
