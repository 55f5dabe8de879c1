package dev.crmsync.sandbox.mailchimp;

import dev.crmsync.sandbox.VendorSandbox.Rejection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Mailchimp account's audiences: each list's merge fields, its members by subscriber hash, and
 * the addresses in a compliance state or forgotten. Everything here is guarded by {@link #lock}.
 */
final class Audiences {
    final Object lock = new Object();
    /** List id → its merge fields. */
    final Map<String, List<MailchimpSandbox.MergeField>> lists = new LinkedHashMap<>();
    /** {@code list/hash} → member. */
    final Map<String, MailchimpSandbox.Member> members = new LinkedHashMap<>();
    /** Lower-cased e-mails. */
    final Set<String> inCompliance = new HashSet<>();
    /** Lower-cased e-mails. */
    final Set<String> forgotten = new HashSet<>();

    /** The member under this list and hash; 404 when there is none. */
    MailchimpSandbox.Member existing(String listId, String hash) {
        MailchimpSandbox.Member member = members.get(listId + "/" + hash);
        if (member == null) {
            throw notFound();
        }
        return member;
    }

    /** Mailchimp's 404 for a list or member it does not have. */
    static Rejection notFound() {
        return new Rejection(404, "Resource Not Found", "The requested resource could not be found.");
    }

    void reset() {
        lists.clear();
        members.clear();
        inCompliance.clear();
        forgotten.clear();
    }
}
