package dev.crmsync.sandbox.mailchimp;

import static dev.crmsync.sandbox.mailchimp.MailchimpProblems.JSON;
import static dev.crmsync.sandbox.mailchimp.MailchimpProblems.invalid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox.MergeField;
import java.util.List;

/** An audience itself: {@code GET /3.0/lists/{list_id}} and its {@code merge-fields}, paged. */
final class AudienceEndpoints {
    /**
     * The merge-fields collection's page size: 10 unless {@code count} asks for more, at most 1000 (Lists API
     * reference).
     */
    private static final int DEFAULT_PAGE = 10;

    private static final int MAX_PAGE = 1000;

    private final Audiences audiences;

    AudienceEndpoints(Audiences audiences) {
        this.audiences = audiences;
    }

    /** {@code GET /3.0/lists/{list_id}}. */
    SandboxReply list(String listId) {
        fieldsOf(listId);
        ObjectNode body = JSON.createObjectNode().put("id", listId).put("name", "Audience " + listId);
        body.putObject("stats");
        return SandboxReply.json(200, body);
    }

    private List<MergeField> fieldsOf(String listId) {
        synchronized (audiences.lock) {
            List<MergeField> fields = audiences.lists.get(listId);
            if (fields == null) {
                throw Audiences.notFound();
            }
            return fields;
        }
    }

    /**
     * A page of the audience's merge fields: {@code count} (10 by default, at most 1000) from {@code offset}, with
     * {@code total_items}.
     */
    SandboxReply mergeFields(SandboxRequest request, String listId) {
        List<MergeField> fields = fieldsOf(listId);
        int count = Math.min(MAX_PAGE, intParam(request, "count", DEFAULT_PAGE));
        int offset = intParam(request, "offset", 0);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode page = body.putArray("merge_fields");
        for (int i = offset; i < Math.min(fields.size(), offset + count); i++) {
            MergeField f = fields.get(i);
            ObjectNode field = page.addObject()
                    .put("merge_id", i + 1)
                    .put("tag", f.tag())
                    .put("name", f.tag())
                    .put("type", f.type())
                    .put("required", f.required())
                    .put("default_value", "")
                    .put("public", true)
                    .put("display_order", i + 2)
                    .put("list_id", listId);
            ObjectNode options = field.putObject("options");
            if (f.phoneFormat() != null) {
                options.put("phone_format", f.phoneFormat());
            }
        }
        body.put("list_id", listId).put("total_items", fields.size());
        return SandboxReply.json(200, body);
    }

    private static int intParam(SandboxRequest request, String name, int otherwise) {
        String value = request.params().get(name);
        try {
            return value == null ? otherwise : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw invalid(name, "This value should be of type integer.");
        }
    }
}
