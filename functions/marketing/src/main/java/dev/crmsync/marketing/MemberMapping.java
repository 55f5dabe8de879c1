package dev.crmsync.marketing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.synccore.event.CrmEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * CRM contact → Mailchimp member body. Events carry the full state, so a merge field the contact no
 * longer has is sent empty (Mailchimp keeps merge fields a request leaves out).
 */
final class MemberMapping {
    /** The member status for a new member when the contact states no consent: in the audience, never sent marketing. */
    static final String NO_CONSENT_STATUS = "transactional";
    private static final Set<String> CONSENTS = Set.of("subscribed", "unsubscribed", "pending");
    /** The status Mailchimp answers for a member that was archived (deleted from the audience's view). */
    static final String ARCHIVED = "archived";

    private MemberMapping() {}

    /** Mailchimp's member id: the MD5 hex of the lower-cased e-mail. */
    static String subscriberHash(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(email.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /** The CRM's consent as a member status: {@code subscribed}, {@code unsubscribed}, {@code pending}, else {@link #NO_CONSENT_STATUS}. */
    static String crmConsent(CrmEvent contact) {
        String consent = contact.text("marketingConsent");
        return consent != null && CONSENTS.contains(consent) ? consent : NO_CONSENT_STATUS;
    }

    /**
     * The PUT body, with {@code statusIfNew} (the CRM's consent, or less: see
     * {@link #carriedStatus}). Only {@code status_if_new}, never {@code status}: once a member
     * exists, its subscription status belongs to Mailchimp (a person who unsubscribed through an
     * e-mail's link must not be subscribed again by a later CRM change).
     */
    static ObjectNode memberBody(CrmEvent contact, String statusIfNew, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("email_address", contact.text("email"));
        body.put("status_if_new", statusIfNew);
        body.set("merge_fields", mergeFields(contact, json));
        return body;
    }

    /**
     * The PATCH body that moves a member to the contact's new address: the address and the merge
     * fields, no status (the member keeps its own; the PATCH status enum has no {@code transactional}).
     */
    static ObjectNode moveBody(CrmEvent contact, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("email_address", contact.text("email"));
        body.set("merge_fields", mergeFields(contact, json));
        return body;
    }

    /**
     * The PUT body that brings an archived member back, with an explicit {@code status} in place of
     * the {@code status_if_new} of {@code memberBody}. An archived member carries no record of its
     * status before the archive, so the choice is conservative: "subscribed" or "pending" becomes
     * {@code pending} (the person confirms by e-mail before any campaign reaches them, so an
     * unsubscribe from before the archive is never undone by us), "unsubscribed" stays
     * {@code unsubscribed}, and no consent is {@code transactional}.
     */
    static ObjectNode unarchiveBody(ObjectNode memberBody) {
        ObjectNode body = memberBody.deepCopy();
        String consent = body.remove("status_if_new").asText();
        body.put("status", switch (consent) {
            case "subscribed", "pending" -> "pending";
            case "unsubscribed" -> "unsubscribed";
            default -> NO_CONSENT_STATUS;
        });
        return body;
    }

    /**
     * The status a new member at the contact's new address may have when Mailchimp would not move
     * the old member: the lesser consent of the old member's status and the CRM's, so a change of
     * address never adds consent. {@code subscribed} gives the CRM's consent; {@code unsubscribed}
     * and {@code transactional} (no marketing) are kept as they are; {@code pending}, and a
     * {@code cleaned} or {@code archived} member whose consent is no longer known, give at most
     * {@code pending} (the person confirms the new address first).
     */
    static String carriedStatus(String oldStatus, String crmConsent) {
        return switch (oldStatus) {
            case "subscribed" -> crmConsent;
            case "unsubscribed", NO_CONSENT_STATUS -> oldStatus;
            default -> crmConsent.equals("subscribed") ? "pending" : crmConsent;
        };
    }

    private static ObjectNode mergeFields(CrmEvent contact, ObjectMapper json) {
        ObjectNode merge = json.createObjectNode();
        merge.put("FNAME", orEmpty(contact.text("firstName")));
        merge.put("LNAME", orEmpty(contact.text("lastName")));
        merge.put("PHONE", orEmpty(contact.text("phone")));
        return merge;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
