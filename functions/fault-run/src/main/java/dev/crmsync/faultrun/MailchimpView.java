package dev.crmsync.faultrun;

import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import java.util.ArrayList;
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
        // a PUT writes a member's state, and so does a PATCH that moves it to a new address
        List<RecordedCall> writes = mailchimp.calls("*", "/3\\.0/lists/[^/]+/members/[0-9a-f]{32}").stream()
                .filter(call -> call.method().equals("PUT") || call.method().equals("PATCH"))
                .toList();
        return VendorView.stateWrites(
                writes,
                call -> call.body() == null
                        ? null
                        : call.body().path("merge_fields").path("FNAME").asText() + " "
                                + call.body().path("merge_fields").path("LNAME").asText());
    }

    @Override
    public Map<Integer, List<Long>> liveObjects() {
        return VendorView.byRecord(
                mailchimp.members().stream()
                        .filter(m -> !"archived".equals(m.status()))
                        .toList(),
                MailchimpView::labelText);
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
        return CrmRecord.parseLabel(labelText(member));
    }

    private static String labelText(MailchimpSandbox.Member member) {
        return member.mergeFields().get("FNAME") + " " + member.mergeFields().get("LNAME");
    }
}
