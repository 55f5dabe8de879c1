package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.synccore.connector.CaseDistinctId;
import dev.crmsync.synccore.event.CrmEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CRM account → Zendesk organization, CRM contact → Zendesk user. Events carry the full state, so
 * a field the record no longer has is sent empty (text) or null (phone, organization), which
 * clears it in Zendesk.
 */
final class ZendeskMapping {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().-]");
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");

    private ZendeskMapping() {}

    /**
     * The {@code external_id} of the record's organization or user: its CRM id, written so that
     * Zendesk, which compares {@code external_id} without regard to case, still tells apart ids
     * that differ only in case ({@link CaseDistinctId}; an id without upper-case letters is written
     * as it is).
     */
    static String externalId(String recordId) {
        return CaseDistinctId.encode(recordId);
    }

    /** {@code {"organization": {external_id, name, domain_names, details, notes}}}. */
    static ObjectNode organization(CrmEvent account) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode org = body.putObject("organization");
        org.put("external_id", externalId(account.recordId()));
        org.put("name", account.text("name"));
        var domains = org.putArray("domain_names");
        Optional.ofNullable(account.text("domain")).ifPresent(domains::add);
        org.put("details", address(account.field("billingAddress")));
        org.put("notes", orEmpty(account.text("description")));
        return body;
    }

    /**
     * {@code {"user": {external_id, email, name, phone, organization_id, skip_verify_email}}}; no
     * organization when the contact has no account. {@code skip_verify_email}: a user created by a
     * sync must not get a Zendesk verification e-mail (the first backfill would mail every contact);
     * it only matters on create, and Zendesk ignores it on update.
     */
    static ObjectNode user(CrmEvent contact, Optional<String> organizationId) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode user = body.putObject("user");
        user.put("external_id", externalId(contact.recordId()));
        user.put("email", contact.text("email"));
        user.put("name", name(contact));
        user.put("phone", phone(contact).orElse(null));
        if (organizationId.isPresent()) {
            user.put("organization_id", Long.parseLong(organizationId.get()));
        } else {
            user.putNull("organization_id");
        }
        user.put("skip_verify_email", true);
        return body;
    }

    /**
     * The SHA-256 (hex) of the lower-cased address: what the record item keeps of the e-mail last
     * written, to find its identity after a CRM change without storing the address itself
     * (Mailchimp keys members by a hash of the lower-cased address the same way). Zendesk compares
     * addresses without case.
     */
    static String emailFingerprint(String email) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(email.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The contact's phone as E.164 ({@code +}, country code, number; at most 15 digits), which
     * Zendesk's {@code phone} should comply with and refuses otherwise when "Validate user phone
     * numbers" is on
     * (https://developer.zendesk.com/documentation/voice/talk-partner-edition/creating-a-user-profile-in-support-for-a-caller).
     * Only what cannot change the number is taken out: spaces, dashes, dots and parentheses.
     * Empty when the number has no leading {@code +} (a national number: its country is not known)
     * or is not E.164 after that (an extension, letters, too long): the user then holds no phone
     * rather than a wrong or refused one.
     */
    static Optional<String> phone(CrmEvent contact) {
        return Optional.ofNullable(contact.text("phone"))
                .map(phone -> PHONE_SEPARATORS.matcher(phone.strip()).replaceAll(""))
                .filter(phone -> E164.matcher(phone).matches());
    }

    /** Values Zendesk may quote back in an error, taken out of the status record's reason. */
    static List<String> personalValues(CrmEvent event) {
        List<String> values = new ArrayList<>();
        for (String field : List.of("email", "phone", "firstName", "lastName")) {
            Optional.ofNullable(event.text(field)).ifPresent(values::add);
        }
        if (event.object().equals("contact")) {
            values.add(name(event));
            phone(event).ifPresent(values::add);
        }
        return values;
    }

    /** "First Last"; a user needs a name, so a contact with neither is named by its e-mail. */
    static String name(CrmEvent contact) {
        String name = (orEmpty(contact.text("firstName")) + " " + orEmpty(contact.text("lastName"))).strip();
        return name.isEmpty() ? contact.text("email") : name;
    }

    /** "line1, line2, city, state postalCode, country", the parts the account has. */
    static String address(JsonNode address) {
        if (!address.isObject()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String field : List.of("line1", "line2", "city")) {
            add(parts, address.path(field).asText(""));
        }
        add(
                parts,
                (address.path("state").asText("") + " "
                                + address.path("postalCode").asText(""))
                        .strip());
        add(parts, address.path("country").asText(""));
        return String.join(", ", parts);
    }

    private static void add(List<String> parts, String part) {
        if (!part.isBlank()) {
            parts.add(part);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
