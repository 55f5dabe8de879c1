package dev.crmsync.sandbox.mailchimp;

import static dev.crmsync.sandbox.mailchimp.MailchimpProblems.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.crmsync.sandbox.SandboxRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** An audience's merge-field schema, checked against a member write. */
final class MergeFieldRules {
    private static final Pattern US_PHONE = Pattern.compile("[0-9]{3}-[0-9]{3}-[0-9]{4}");

    private MergeFieldRules() {}

    /**
     * The audience's merge fields checked against a member write, as Mailchimp does: 400 {@code
     * Invalid Resource} "Your merge fields were invalid." with one {@code errors[]} entry per field.
     * A required field left without a value: "Please enter a value", on new and existing members
     * alike (reported by users: https://github.com/ibericode/mailchimp-for-wordpress/issues/545,
     * https://github.com/brandonseydel/MailChimp.Net/issues/312, https://github.com/verbb/formie/issues/2387),
     * unless the query has {@code skip_merge_validation=true} (Members API reference: "member data
     * will be accepted without merge field values, even if the merge field is usually required").
     * A phone in a US-format field must be NPA-NXX-LINE, 404-555-1212 (API 2.0 reference, quoted in
     * https://github.com/EvanHerman/yikes-inc-easy-mailchimp-extender/issues/431; v3 is not verified,
     * so the strict form is kept, and kept under skip_merge_validation too). A tag the audience does not
     * have: what v3 answers is not documented; the sandbox refuses it, the stricter side.
     */
    static void check(
            List<MailchimpSandbox.MergeField> fields,
            SandboxRequest request,
            JsonNode body,
            Map<String, String> merged) {
        Map<String, MailchimpSandbox.MergeField> schema = new LinkedHashMap<>();
        fields.forEach(f -> schema.put(f.tag(), f));
        boolean skipRequired = "true".equals(request.params().get("skip_merge_validation"));
        ArrayNode errors = JSON.createArrayNode();
        body.path("merge_fields").fieldNames().forEachRemaining(tag -> {
            MailchimpSandbox.MergeField field = schema.get(tag);
            String value = body.path("merge_fields").path(tag).asText();
            if (field == null) {
                errors.addObject().put("field", tag).put("message", "This merge field does not exist in the audience.");
            } else if ("US".equals(field.phoneFormat())
                    && !value.isEmpty()
                    && !US_PHONE.matcher(value).matches()) {
                errors.addObject().put("field", tag).put("message", "Please enter a valid phone number");
            }
        });
        if (!skipRequired) {
            for (MailchimpSandbox.MergeField field : schema.values()) {
                if (field.required() && merged.getOrDefault(field.tag(), "").isEmpty()) {
                    errors.addObject().put("field", field.tag()).put("message", "Please enter a value");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new MergeFieldsInvalid(errors);
        }
    }

    /** A member write refused for its merge fields: one {@code errors[]} entry per field. */
    static final class MergeFieldsInvalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ArrayNode errors;

        MergeFieldsInvalid(ArrayNode errors) {
            super("Your merge fields were invalid.", null, false, false);
            this.errors = errors;
        }
    }
}
