package dev.crmsync.marketing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.VendorHttp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The audience's merge fields as Mailchimp holds them: a person may rename, remove or require any of
 * them, the defaults included ("These default fields are editable, so you should not assume that
 * every audience you encounter will be using these tags",
 * https://mailchimp.com/developer/marketing/docs/merge-fields/), so the connector reads them instead
 * of assuming FNAME, LNAME and PHONE.
 */
final class AudienceFields {
    /** The most merge fields one page holds (Lists API reference: {@code count}, default 10, maximum 1000). */
    static final int PAGE_SIZE = 1000;

    /**
     * One merge field: its type, whether a member needs a value, and for a phone its {@code phone_format} ({@code US}
     * or international).
     */
    record Field(String type, boolean required, String phoneFormat) {
        boolean usPhone() {
            return "phone".equals(type) && "US".equals(phoneFormat);
        }
    }

    private final Map<String, Field> byTag;

    AudienceFields(Map<String, Field> byTag) {
        this.byTag = Map.copyOf(byTag);
    }

    Optional<Field> field(String tag) {
        return Optional.ofNullable(byTag.get(tag));
    }

    /** The tags a member must have a value for (unless the write skips merge validation). */
    Set<String> requiredTags() {
        return byTag.entrySet().stream()
                .filter(e -> e.getValue().required())
                .map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * Reads the audience: {@code GET /3.0/lists/{id}}, then every page of its merge fields. Empty
     * when Mailchimp has no such list (404); any other failure is thrown, classified by the client.
     */
    static Optional<AudienceFields> read(
            MailchimpClient mailchimp, String listId, Credentials credentials, CallBudget calls)
            throws VendorHttp.CallFailed {
        MailchimpClient.Answer list =
                mailchimp.send("GET", "3.0/lists/" + listId, null, credentials, calls, Set.of(404));
        if (list.status() == 404) {
            return Optional.empty();
        }
        Map<String, Field> fields = new LinkedHashMap<>();
        int offset = 0;
        int total;
        do {
            JsonNode page = mailchimp
                    .send(
                            "GET",
                            "3.0/lists/" + listId + "/merge-fields?count=" + PAGE_SIZE + "&offset=" + offset,
                            null,
                            credentials,
                            calls,
                            Set.of())
                    .body();
            for (JsonNode field : page.path("merge_fields")) {
                fields.put(
                        field.path("tag").asText(),
                        new Field(
                                field.path("type").asText(),
                                field.path("required").asBoolean(),
                                field.path("options").path("phone_format").asText(null)));
            }
            int read = page.path("merge_fields").size();
            total = page.path("total_items").asInt(0);
            offset += read;
            if (read == 0) {
                break;
            }
        } while (offset < total);
        return Optional.of(new AudienceFields(fields));
    }
}
