package dev.crmsync.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CRM account → Stripe customer parameters. Events carry the full state, so a field the account
 * no longer has is sent empty, which Stripe reads as "unset".
 */
final class StripeCustomerMapping {
    private StripeCustomerMapping() {}

    static Map<String, String> customerParams(CrmEvent account) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("name", orEmpty(account.text("name")));
        params.put("email", orEmpty(account.text("email")));
        params.put("phone", orEmpty(account.text("phone")));
        params.put("description", orEmpty(account.text("description")));
        JsonNode address = account.field("billingAddress");
        if (address.isObject()) {
            put(params, "address[line1]", address, "line1");
            put(params, "address[line2]", address, "line2");
            put(params, "address[city]", address, "city");
            put(params, "address[state]", address, "state");
            put(params, "address[postal_code]", address, "postalCode");
            put(params, "address[country]", address, "country");
        } else {
            params.put("address", "");
        }
        params.put("metadata[crm_id]", account.recordId());
        params.put("metadata[crm_version]", Long.toString(account.version()));
        return params;
    }

    private static void put(Map<String, String> params, String key, JsonNode object, String field) {
        JsonNode value = object.path(field);
        params.put(key, value.isMissingNode() || value.isNull() ? "" : value.asText());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
