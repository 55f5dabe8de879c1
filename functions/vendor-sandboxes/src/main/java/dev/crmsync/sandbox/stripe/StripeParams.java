package dev.crmsync.sandbox.stripe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Stripe's handling of form parameters (bracket notation) shared by the endpoints: unknown
 * parameters, metadata, integers, booleans, currencies and list limits.
 */
final class StripeParams {
    private static final Pattern CURRENCY = Pattern.compile("^[a-z]{3}$");

    private StripeParams() {}

    /** Stripe rejects unknown parameters: every top-level name must be modeled or known-unmodeled. */
    static void allow(Map<String, String> params, Set<String> modeled, Set<String> unmodeled) {
        for (String k : params.keySet()) {
            int b = k.indexOf('[');
            String top = b < 0 ? k : k.substring(0, b);
            if (!modeled.contains(top) && !unmodeled.contains(top)) {
                throw ApiError.invalid("parameter_unknown", top, "Received unknown parameter: " + top);
            }
        }
    }

    static String subKey(String key, String top) {
        if (!key.startsWith(top + "[") || !key.endsWith("]")) {
            return null;
        }
        String inner = key.substring(top.length() + 1, key.length() - 1);
        return inner.contains("[") || inner.contains("]") ? null : inner;
    }

    static void validateMetadata(Map<String, String> params) {
        int count = 0;
        for (Map.Entry<String, String> e : params.entrySet()) {
            String k = e.getKey();
            if (k.equals("metadata")) {
                if (!e.getValue().isEmpty()) {
                    throw ApiError.invalid(
                            null, "metadata", "Invalid object: metadata must be a hash (or '' to unset it)");
                }
            } else if (k.startsWith("metadata[")) {
                String sub = subKey(k, "metadata");
                if (sub == null || sub.isEmpty()) {
                    throw ApiError.invalid(null, "metadata", "Invalid metadata key: " + k);
                }
                if (sub.length() > 40) {
                    throw ApiError.invalid(
                            null,
                            "metadata",
                            "Metadata keys can have up to 40 characters, but you passed in a key that is "
                                    + sub.length() + " characters. Invalid key: " + sub);
                }
                if (e.getValue().length() > 500) {
                    throw ApiError.invalid(
                            null,
                            "metadata",
                            "Metadata values can have up to 500 characters, but you passed in a value that is "
                                    + e.getValue().length() + " characters. Invalid value: " + e.getValue());
                }
                count++;
            }
        }
        if (count > 50) {
            throw ApiError.invalid(
                    null, "metadata", "Metadata can have up to 50 keys, but you passed in " + count + " keys.");
        }
    }

    static void checkMetadataCount(ObjectNode obj) {
        int n = obj.get("metadata").size();
        if (n > 50) {
            throw ApiError.invalid(
                    null, "metadata", "Metadata can have up to 50 keys, but you passed in " + n + " keys.");
        }
    }

    /** {@code metadata=} clears all; {@code metadata[k]=} removes k; otherwise merge. */
    static void applyMetadata(ObjectNode obj, Map<String, String> params) {
        ObjectNode metadata = (ObjectNode) obj.get("metadata");
        if ("".equals(params.get("metadata"))) {
            metadata.removeAll();
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey().startsWith("metadata[")) {
                String sub = subKey(e.getKey(), "metadata");
                if (e.getValue().isEmpty()) {
                    metadata.remove(sub);
                } else {
                    metadata.put(sub, e.getValue());
                }
            }
        }
    }

    static void setOrNull(ObjectNode obj, String field, String value) {
        if (value == null || value.isEmpty()) {
            obj.putNull(field);
        } else {
            obj.put(field, value);
        }
    }

    static Long integer(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.invalid("parameter_invalid_integer", name, "Invalid integer: " + v);
        }
    }

    static Boolean bool(Map<String, String> params, String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiError.invalid(null, name, "Invalid boolean: " + v);
        };
    }

    static String currency(Map<String, String> params) {
        String v = params.get("currency");
        if (v == null || v.isEmpty()) {
            return null;
        }
        String c = v.toLowerCase(Locale.ROOT);
        if (!CURRENCY.matcher(c).matches()) {
            throw ApiError.invalid(null, "currency", "Invalid currency: " + v);
        }
        return c;
    }

    static int limit(Map<String, String> params) {
        Long l = integer(params, "limit");
        if (l == null) {
            return 10;
        }
        if (l < 1 || l > 100) {
            throw ApiError.invalid(null, "limit", "Invalid limit: must be between 1 and 100");
        }
        return l.intValue();
    }
}
