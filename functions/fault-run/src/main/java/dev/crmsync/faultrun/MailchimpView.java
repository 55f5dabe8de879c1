package dev.crmsync.faultrun;

import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Marketing as Mailchimp holds it: the audience's members that are not archived, named by their contact's label. */
final class MailchimpView implements VendorView {
    private final MailchimpSandbox mailchimp;

    MailchimpView(MailchimpSandbox mailchimp) {
        this.mailchimp = mailchimp;
    }

    @Override
    public List<StateWrite> stateWrites() {
        List<StateWrite> writes = new ArrayList<>();
        for (RecordedCall call : mailchimp.calls("PUT", "/3\\.0/lists/[^/]+/members/[0-9a-f]{32}")) {
            if (call.changedState() && call.body() != null) {
                long[] label = CrmRecord.parseLabel(call.body().path("merge_fields").path("FNAME").asText()
                        + " " + call.body().path("merge_fields").path("LNAME").asText());
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
        for (MailchimpSandbox.Member member : mailchimp.members()) {
            long[] label = label(member);
            if (!"archived".equals(member.status()) && label != null) {
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
        for (MailchimpSandbox.Member member : mailchimp.members()) {
            if (!"archived".equals(member.status()) && label(member) == null) {
                orphans.add("member " + member.hash() + " names no contact");
            }
        }
        return orphans;
    }

    private static long[] label(MailchimpSandbox.Member member) {
        return CrmRecord.parseLabel(member.mergeFields().get("FNAME") + " " + member.mergeFields().get("LNAME"));
    }
}
