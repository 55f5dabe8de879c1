package dev.crmsync.sandbox.stripe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stripe's search query language as far as the sandbox models it: {@code field:'value'} clauses
 * joined by {@code AND}, parsed into flattened field -> value, and matched against an object's
 * indexed fields.
 */
final class SearchQuery {
    private SearchQuery() {}

    static boolean matchesClauses(Map<String, String> indexed, Map<String, String> clauses) {
        for (Map.Entry<String, String> cl : clauses.entrySet()) {
            String actual = indexed.get(cl.getKey());
            if (actual == null) {
                return false;
            }
            // Stripe's ':' is "Exact match operator (case insensitive)" for every field type, metadata
            // (a token field) included: metadata['crm_id']:'001aB' also finds '001Ab'.
            // https://docs.stripe.com/search#search-query-language
            if (!actual.equalsIgnoreCase(cl.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses {@code field:'value' AND metadata['k']:'v' ...} into flattened field -> value. Fields:
     * {@code scalarFields} and metadata['key'] (single or double quotes, backslash escapes).
     */
    static Map<String, String> parseQuery(String query, Set<String> scalarFields) {
        Map<String, String> clauses = new LinkedHashMap<>();
        int[] pos = {0};
        String q = query.trim();
        if (q.isEmpty()) {
            throw badQuery(query, scalarFields, "empty query");
        }
        while (true) {
            skipSpaces(q, pos);
            int start = pos[0];
            while (pos[0] < q.length() && (Character.isLetterOrDigit(q.charAt(pos[0])) || q.charAt(pos[0]) == '_')) {
                pos[0]++;
            }
            String field = q.substring(start, pos[0]);
            if (field.equals("metadata")) {
                if (pos[0] >= q.length() || q.charAt(pos[0]) != '[') {
                    throw badQuery(query, scalarFields, "expected metadata['key']");
                }
                pos[0]++;
                String k = quoted(q, pos, query, scalarFields);
                if (pos[0] >= q.length() || q.charAt(pos[0]) != ']') {
                    throw badQuery(query, scalarFields, "expected ]");
                }
                pos[0]++;
                field = "metadata[" + k + "]";
            } else if (!scalarFields.contains(field)) {
                throw badQuery(query, scalarFields, "unsupported field '" + field + "'");
            }
            if (pos[0] >= q.length() || q.charAt(pos[0]) != ':') {
                throw badQuery(query, scalarFields, "only the exact-match operator ':' is supported");
            }
            pos[0]++;
            clauses.put(field, quoted(q, pos, query, scalarFields));
            skipSpaces(q, pos);
            if (pos[0] >= q.length()) {
                return clauses;
            }
            if (!q.startsWith("AND", pos[0])
                    || pos[0] + 3 >= q.length()
                    || !Character.isWhitespace(q.charAt(pos[0] + 3))) {
                throw badQuery(query, scalarFields, "clauses must be joined with AND");
            }
            pos[0] += 3;
        }
    }

    private static void skipSpaces(String q, int[] pos) {
        while (pos[0] < q.length() && Character.isWhitespace(q.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static String quoted(String q, int[] pos, String query, Set<String> scalarFields) {
        if (pos[0] >= q.length() || (q.charAt(pos[0]) != '\'' && q.charAt(pos[0]) != '"')) {
            throw badQuery(query, scalarFields, "expected a quoted value");
        }
        char quote = q.charAt(pos[0]++);
        StringBuilder sb = new StringBuilder();
        while (pos[0] < q.length()) {
            char ch = q.charAt(pos[0]++);
            if (ch == '\\' && pos[0] < q.length()) {
                sb.append(q.charAt(pos[0]++));
            } else if (ch == quote) {
                return sb.toString();
            } else {
                sb.append(ch);
            }
        }
        throw badQuery(query, scalarFields, "unterminated string");
    }

    private static ApiError badQuery(String query, Set<String> scalarFields, String why) {
        return ApiError.invalid(
                null,
                "query",
                "Invalid query: " + why + " (StripeSandbox supports field:'value' clauses joined with AND for "
                        + String.join(", ", new TreeSet<>(scalarFields)) + " and metadata['key']): " + query);
    }
}
