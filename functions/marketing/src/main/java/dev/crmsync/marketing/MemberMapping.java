package dev.crmsync.marketing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.synccore.event.CrmEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CRM contact → Mailchimp member body. Events carry the full state, so a merge field the contact no
 * longer has is sent empty (Mailchimp keeps merge fields a request leaves out).
 */
final class MemberMapping {
    /** The member status for a new member when the contact states no consent: in the audience, never sent marketing. */
    static final String NO_CONSENT_STATUS = "transactional";

    private static final Set<String> CONSENTS = Set.of("subscribed", "unsubscribed", "pending");
    /** Merge tag → the CRM field it takes. */
    private static final Map<String, String> MAPPED =
            orderedMap("FNAME", "firstName", "LNAME", "lastName", "PHONE", "phone");
    /** The status Mailchimp answers for a member that was archived (deleted from the audience's view). */
    static final String ARCHIVED = "archived";

    private MemberMapping() {}

    /** Mailchimp's member id: the MD5 hex of the lower-cased e-mail. */
    static String subscriberHash(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5")
                    .digest(email.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    /**
     * The CRM's consent as a member status: {@code subscribed}, {@code unsubscribed}, {@code pending}, else {@link
     * #NO_CONSENT_STATUS}.
     */
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
    static ObjectNode memberBody(CrmEvent contact, String statusIfNew, AudienceFields audience, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("email_address", contact.text("email"));
        body.put("status_if_new", statusIfNew);
        body.set("merge_fields", mergeFields(contact, audience, json));
        return body;
    }

    /**
     * The PATCH body that moves a member to the contact's new address: the address and the merge
     * fields, no status (the member keeps its own; the PATCH status enum has no {@code transactional}).
     */
    static ObjectNode moveBody(CrmEvent contact, AudienceFields audience, ObjectMapper json) {
        ObjectNode body = json.createObjectNode();
        body.put("email_address", contact.text("email"));
        body.set("merge_fields", mergeFields(contact, audience, json));
        return body;
    }

    /**
     * Whether the write must skip Mailchimp's merge validation: the audience requires a field the
     * body gives no value (the CRM has none, or the audience has no tag we map to it). Without it
     * Mailchimp refuses the whole member (400 "Please enter a value"); a contact is better in the
     * audience without that field than in the DLQ.
     */
    static boolean skipsMergeValidation(ObjectNode body, AudienceFields audience) {
        return audience.requiredTags().stream()
                .anyMatch(tag -> body.path("merge_fields").path(tag).asText("").isEmpty());
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
        body.put(
                "status",
                switch (consent) {
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

    /**
     * The merge fields the audience has, of those we map: a tag renamed or removed in the audience
     * is not sent (Mailchimp refuses an unknown tag, or at best drops it). A phone goes in the
     * field's format: a US-format field takes NPA-NXX-LINE; a number that is not a US one cannot be
     * held by it and is left out (Mailchimp keeps the member's value) rather than failing the whole
     * contact; an international field takes the number as the CRM holds it.
     */
    private static ObjectNode mergeFields(CrmEvent contact, AudienceFields audience, ObjectMapper json) {
        ObjectNode merge = json.createObjectNode();
        MAPPED.forEach((tag, crmField) -> audience.field(tag).ifPresent(field -> {
            String value = orEmpty(contact.text(crmField));
            if (field.usPhone() && !value.isEmpty()) {
                usPhone(value).ifPresent(phone -> merge.put(tag, phone));
            } else {
                merge.put(tag, value);
            }
        }));
        return merge;
    }

    /**
     * A US number as Mailchimp's US phone format, NPA-NXX-LINE (404-555-1212): 10 digits, or 11 with
     * the country code 1 (written with {@code +} or {@code 00} it must be that code); empty for any
     * other number.
     */
    static Optional<String> usPhone(String phone) {
        String written = phone.strip();
        String digits = written.replaceAll("[^0-9]", "");
        boolean international = written.startsWith("+") || written.startsWith("00");
        if (written.startsWith("00")) {
            digits = digits.substring(2);
        }
        if (digits.length() == 11 && digits.charAt(0) == '1') {
            digits = digits.substring(1);
        } else if (international) {
            return Optional.empty();
        }
        if (digits.length() != 10) {
            return Optional.empty();
        }
        return Optional.of(digits.substring(0, 3) + "-" + digits.substring(3, 6) + "-" + digits.substring(6));
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
