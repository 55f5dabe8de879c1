package dev.crmsync.sandbox.mailchimp;

import static dev.crmsync.sandbox.mailchimp.MailchimpProblems.JSON;
import static dev.crmsync.sandbox.mailchimp.MailchimpProblems.invalid;
import static dev.crmsync.sandbox.mailchimp.MailchimpSandbox.subscriberHash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox.Rejection;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox.Member;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Audience members on {@code /3.0/lists/{list_id}/members/{subscriber_hash}}: {@code PUT} (add or
 * update), {@code PATCH} (update, or move to a new address), {@code GET}, {@code DELETE} (archive).
 */
final class MemberEndpoints {
    private static final Set<String> STATUSES =
            Set.of("subscribed", "unsubscribed", "cleaned", "pending", "transactional");
    private static final Set<String> PATCH_STATUSES = Set.of("subscribed", "unsubscribed", "cleaned", "pending");

    private final Audiences audiences;

    MemberEndpoints(Audiences audiences) {
        this.audiences = audiences;
    }

    /** The member endpoint {@code request} names, on a list that must exist. */
    SandboxReply serve(SandboxRequest request, String listId, String hash) {
        synchronized (audiences.lock) {
            if (!audiences.lists.containsKey(listId)) {
                throw Audiences.notFound();
            }
            return switch (request.method()) {
                case "PUT", "PATCH" -> {
                    try {
                        yield request.method().equals("PUT")
                                ? put(request, listId, hash)
                                : patch(request, listId, hash);
                    } catch (MergeFieldRules.MergeFieldsInvalid invalid) {
                        yield MailchimpProblems.problem(
                                request, 400, "Invalid Resource", "Your merge fields were invalid.", invalid.errors);
                    }
                }
                case "GET" -> memberReply(200, audiences.existing(listId, hash));
                case "DELETE" -> archive(listId, hash);
                default ->
                    throw new Rejection(405, "Method Not Allowed", request.method() + " is not allowed on a member.");
            };
        }
    }

    private SandboxReply put(SandboxRequest request, String listId, String hash) {
        if (request.malformed() != null) {
            throw new Rejection(400, "JSON Parse Exception", request.malformed());
        }
        JsonNode body = request.json();
        if (body == null || !body.hasNonNull("email_address")) {
            throw invalid("email_address", "This value should not be blank.");
        }
        String email = body.get("email_address").asText();
        String lower = email.toLowerCase(Locale.ROOT);
        if (!subscriberHash(email).equals(hash)) {
            throw invalid("email_address", "The subscriber hash in the path does not match the email address.");
        }
        if (audiences.inCompliance.contains(lower)) {
            throw new Rejection(
                    400,
                    "Member In Compliance State",
                    email
                            + " is already a list member in compliance state due to unsubscribe, bounce, or "
                            + "compliance review.");
        }
        Member current = audiences.members.get(listId + "/" + hash);
        // An archived member still exists: status_if_new does not apply to it, and a PUT without an
        // explicit status leaves it archived (reported by API users: https://github.com/tbar0970/jethro-pmm/issues/708,
        // https://github.com/mailchimp/mc-woocommerce/issues/951; status_if_new is "required only if
        // the email address is not already present on the list"). Only an explicit status un-archives.
        boolean isNew = current == null;
        String status;
        if (body.hasNonNull("status")) {
            status = knownStatus(body.get("status").asText());
        } else if (isNew) {
            if (!body.hasNonNull("status_if_new")) {
                throw invalid("status_if_new", "The status_if_new field is required when the member is new.");
            }
            status = knownStatus(body.get("status_if_new").asText());
        } else {
            status = current.status(); // archived included
        }
        if (isNew && audiences.forgotten.contains(lower)) {
            throw new Rejection(
                    400,
                    "Forgotten Email Not Subscribed",
                    email
                            + " was permanently deleted and cannot be re-imported. The contact must re-subscribe to "
                            + "get back on the list.");
        }
        // Mailchimp keeps merge fields the request leaves out.
        Map<String, String> mergeFields = new LinkedHashMap<>(current == null ? Map.of() : current.mergeFields());
        body.path("merge_fields")
                .fields()
                .forEachRemaining(e -> mergeFields.put(e.getKey(), e.getValue().asText()));
        MergeFieldRules.check(audiences.lists.get(listId), request, body, mergeFields);
        Member member = new Member(listId, hash, email, status, Map.copyOf(mergeFields));
        audiences.members.put(listId + "/" + hash, member);
        return memberReply(200, member);
    }

    /**
     * Updates an existing member; a new {@code email_address} moves it to that address's hash,
     * keeping its status and merge fields (Mailchimp added this in 2016-11, reported by users:
     * https://github.com/brandonseydel/MailChimp.Net/issues/135,
     * https://github.com/ibericode/mailchimp-user-sync/issues/80). Mailchimp moves only a
     * {@code subscribed} member ("This member's status is "cleaned." You can only update email
     * addresses for members with a status of "subscribed."", reported by users:
     * https://github.com/ibericode/mailchimp-user-sync/issues/96) and refuses an address that is
     * already on the list, archived members included ("… is already in this list with a status of
     * …", reported by users: https://github.com/brandonseydel/MailChimp.Net/issues/201); both are 400
     * {@code Invalid Resource}. The PATCH {@code status} enum has no {@code transactional}
     * (Members API reference, "Update list member").
     */
    private SandboxReply patch(SandboxRequest request, String listId, String hash) {
        if (request.malformed() != null) {
            throw new Rejection(400, "JSON Parse Exception", request.malformed());
        }
        Member current = audiences.existing(listId, hash);
        JsonNode body = request.json() == null ? JSON.createObjectNode() : request.json();
        String email = current.emailAddress();
        String target = hash;
        if (body.hasNonNull("email_address")
                && !subscriberHash(body.get("email_address").asText()).equals(hash)) {
            email = body.get("email_address").asText();
            target = subscriberHash(email);
            if (!current.status().equals("subscribed")) {
                throw invalid(
                        "email_address",
                        "This member's status is \"" + current.status()
                                + ".\" You can only update email addresses for members with a status of "
                                + "\"subscribed.\"");
            }
            Member taken = audiences.members.get(listId + "/" + target);
            if (taken != null) {
                throw invalid(
                        "email_address",
                        "\"" + email + "\" is already in this list with a status of \"" + taken.status() + "\".");
            }
            if (audiences.inCompliance.contains(email.toLowerCase(Locale.ROOT))) {
                throw new Rejection(
                        400,
                        "Member In Compliance State",
                        email
                                + " is already a list member in compliance state due to unsubscribe, bounce, or "
                                + "compliance review.");
            }
        }
        String status = current.status();
        if (body.hasNonNull("status")) {
            status = body.get("status").asText();
            if (!PATCH_STATUSES.contains(status)) {
                throw invalid("status", "The status must be one of " + PATCH_STATUSES + ".");
            }
        }
        Map<String, String> mergeFields = new LinkedHashMap<>(current.mergeFields());
        body.path("merge_fields")
                .fields()
                .forEachRemaining(e -> mergeFields.put(e.getKey(), e.getValue().asText()));
        MergeFieldRules.check(audiences.lists.get(listId), request, body, mergeFields);
        Member member = new Member(listId, target, email, status, Map.copyOf(mergeFields));
        audiences.members.remove(listId + "/" + hash);
        audiences.members.put(listId + "/" + target, member);
        return memberReply(200, member);
    }

    private static String knownStatus(String status) {
        if (!STATUSES.contains(status)) {
            throw invalid("status", "The status must be one of " + STATUSES + ".");
        }
        return status;
    }

    private SandboxReply archive(String listId, String hash) {
        Member member = audiences.existing(listId, hash);
        if (member.status().equals("archived")) {
            throw Audiences.notFound();
        }
        audiences.members.put(
                listId + "/" + hash, new Member(listId, hash, member.emailAddress(), "archived", member.mergeFields()));
        return SandboxReply.of(204, "application/json", new byte[0]);
    }

    private static SandboxReply memberReply(int status, Member member) {
        ObjectNode body = JSON.createObjectNode()
                .put("id", member.hash())
                .put("email_address", member.emailAddress())
                .put("unique_email_id", member.hash().substring(0, 10))
                .put("status", member.status())
                .put("list_id", member.listId());
        ObjectNode merge = body.putObject("merge_fields");
        member.mergeFields().forEach(merge::put);
        return SandboxReply.json(status, body);
    }
}
