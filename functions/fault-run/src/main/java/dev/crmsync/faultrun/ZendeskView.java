package dev.crmsync.faultrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Helpdesk as Zendesk holds it: organizations and active users, named by their record's label. */
final class ZendeskView implements VendorView {
    private final ZendeskSandbox zendesk;

    ZendeskView(ZendeskSandbox zendesk) {
        this.zendesk = zendesk;
    }

    @Override
    public List<StateWrite> stateWrites() {
        List<StateWrite> writes = new ArrayList<>();
        for (RecordedCall call : zendesk.calls("POST", "/api/v2/(organizations|users)/create_or_update")) {
            if (call.changedState() && call.body() != null) {
                String kind = call.path().contains("/organizations/") ? "organization" : "user";
                long[] label = CrmRecord.parseLabel(call.body().path(kind).path("name").asText());
                if (label != null) {
                    writes.add(new StateWrite((int) label[0], label[1], call.status() + " at " + call.at()));
                }
            }
        }
        return writes;
    }

    @Override
    public Map<Integer, List<Long>> liveObjects() {
        Map<Integer, List<Long>> live = new HashMap<>();
        for (JsonNode object : liveOnes()) {
            long[] label = CrmRecord.parseLabel(object.path("name").asText());
            if (label != null) {
                live.computeIfAbsent((int) label[0], i -> new ArrayList<>()).add(label[1]);
            }
        }
        return live;
    }

    @Override
    public Map<Integer, List<ActionObject>> actions() {
        return Map.of();
    }

    @Override
    public List<String> orphans() {
        List<String> orphans = new ArrayList<>();
        for (JsonNode object : liveOnes()) {
            if (CrmRecord.parseLabel(object.path("name").asText()) == null) {
                orphans.add("object " + object.path("id").asText() + " (external_id " + object.path("external_id").asText() + ") names no record");
            }
        }
        return orphans;
    }

    private List<JsonNode> liveOnes() {
        List<JsonNode> live = new ArrayList<>(zendesk.organizations());
        zendesk.users().stream().filter(u -> u.path("active").asBoolean(true)).forEach(live::add);
        return live;
    }

    @Override
    public Optional<String> deleteByHand(CrmRecord account) {
        String prefix = "Acct " + account.index() + " v";
        Optional<JsonNode> org = zendesk.organizations().stream().filter(o -> o.path("name").asText().startsWith(prefix)).findFirst();
        org.ifPresent(o -> zendesk.deleteOrganizationByHand(o.path("id").asLong()));
        return org.map(o -> "organization " + o.path("id").asText());
    }
}
