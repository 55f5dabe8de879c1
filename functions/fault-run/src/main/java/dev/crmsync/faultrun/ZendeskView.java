package dev.crmsync.faultrun;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.util.ArrayList;
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
        return VendorView.stateWrites(
                zendesk.calls("POST", "/api/v2/(organizations|users)/create_or_update"),
                call -> call.body() == null
                        ? null
                        : call.body()
                                .path(call.path().contains("/organizations/") ? "organization" : "user")
                                .path("name")
                                .asText());
    }

    @Override
    public Map<Integer, List<Long>> liveObjects() {
        return VendorView.byRecord(liveOnes(), object -> object.path("name").asText());
    }

    @Override
    public List<String> orphans() {
        List<String> orphans = new ArrayList<>();
        for (JsonNode object : liveOnes()) {
            if (CrmRecord.parseLabel(object.path("name").asText()) == null) {
                orphans.add("object " + object.path("id").asText() + " (external_id "
                        + object.path("external_id").asText() + ") names no record");
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
        Optional<JsonNode> org = zendesk.organizations().stream()
                .filter(o -> o.path("name").asText().startsWith(prefix))
                .findFirst();
        org.ifPresent(o -> zendesk.deleteOrganizationByHand(o.path("id").asLong()));
        return org.map(o -> "organization " + o.path("id").asText());
    }
}
