package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.SearchQuery.matchesClauses;
import static dev.crmsync.sandbox.stripe.SearchQuery.parseQuery;
import static dev.crmsync.sandbox.stripe.StripeParams.allow;
import static dev.crmsync.sandbox.stripe.StripeParams.limit;
import static dev.crmsync.sandbox.stripe.StripeSandbox.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/customers/search} and {@code GET /v1/invoices/search} (the query language is in
 * {@link SearchQuery}). Called with {@code account.lock} held.
 */
final class SearchEndpoints {
    private static final Set<String> CUSTOMER_SEARCH_FIELDS = Set.of("email", "name", "phone");
    private static final Set<String> INVOICE_SEARCH_SCALARS = Set.of("customer", "status", "number", "currency");

    private final Account account;

    SearchEndpoints(Account account) {
        this.account = account;
    }

    ObjectNode searchCustomers(Map<String, String> params) {
        List<Customer> live =
                account.customers.values().stream().filter(c -> !c.deleted).toList();
        return search(params, CUSTOMER_SEARCH_FIELDS, "/v1/customers/search", live);
    }

    /**
     * Stripe's search: {@code query} of exact-match clauses on {@code scalarFields} and {@code
     * metadata['key']}, compared without regard to case as Stripe documents it, newest first, {@code page} = the
     * opaque {@code next_page} of the previous
     * result. Sees each object as it was at least {@link Account#searchLag} ago (or not at all).
     */
    private ObjectNode search(
            Map<String, String> params, Set<String> scalarFields, String url, Iterable<? extends Searchable> objects) {
        allow(params, Set.of("query", "limit", "page", "expand"), Set.of());
        String query = params.get("query");
        if (query == null) {
            throw ApiError.invalid("parameter_missing", "query", "Missing required param: query.");
        }
        Map<String, String> clauses = parseQuery(query, scalarFields);
        int limit = limit(params);
        int offset = 0;
        String page = params.get("page");
        if (page != null && !page.isEmpty()) {
            if (!page.matches("page_\\d+")) {
                throw ApiError.invalid(null, "page", "Invalid page: " + page);
            }
            offset = Integer.parseInt(page.substring(5));
        }
        Instant visibleBefore = Instant.now().minus(account.searchLag);
        List<Searchable> all = new ArrayList<>();
        objects.forEach(all::add);
        Collections.reverse(all);
        List<ObjectNode> hits = new ArrayList<>();
        for (Searchable o : all) {
            Map<String, String> indexed = null;
            for (Map.Entry<Instant, Map<String, String>> v : o.versions) {
                if (!v.getKey().isAfter(visibleBefore)) {
                    indexed = v.getValue();
                }
            }
            if (indexed != null && matchesClauses(indexed, clauses)) {
                hits.add(o.json);
            }
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("object", "search_result");
        ArrayNode data = result.putArray("data");
        hits.stream().skip(offset).limit(limit).forEach(n -> data.add(n.deepCopy()));
        boolean more = hits.size() > offset + limit;
        result.put("has_more", more);
        if (more) {
            result.put("next_page", "page_" + (offset + limit));
        } else {
            result.putNull("next_page");
        }
        result.put("url", url);
        return result;
    }

    ObjectNode searchInvoices(Map<String, String> params) {
        return search(params, INVOICE_SEARCH_SCALARS, "/v1/invoices/search", account.invoices.values());
    }
}
