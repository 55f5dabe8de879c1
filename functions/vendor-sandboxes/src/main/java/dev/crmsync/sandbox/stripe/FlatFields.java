package dev.crmsync.sandbox.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stripe objects as flat maps in form-parameter notation ({@code metadata[crm_id]}, {@code
 * address[line1]}): the sandbox's inspection views and what search indexes.
 */
final class FlatFields {
    private FlatFields() {}

    static Map<String, String> flatten(ObjectNode json, List<String> fields, Map<String, String> extras) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : fields) {
            flattenInto(out, f, json.get(f));
        }
        out.putAll(extras);
        return Collections.unmodifiableMap(out);
    }

    private static void flattenInto(Map<String, String> out, String key, JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return;
        }
        if (v.isObject()) {
            v.properties().forEach(e -> flattenInto(out, key + "[" + e.getKey() + "]", e.getValue()));
        } else if (v.isArray()) {
            for (int i = 0; i < v.size(); i++) {
                flattenInto(out, key + "[" + i + "]", v.get(i));
            }
        } else {
            out.put(key, v.asText());
        }
    }
}
