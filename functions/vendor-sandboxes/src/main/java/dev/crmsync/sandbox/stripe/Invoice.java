package dev.crmsync.sandbox.stripe;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An invoice: its JSON, the create parameters Stripe does not echo ({@code created}), the ids of its
 * invoice items in line order, and its search versions.
 */
final class Invoice extends Searchable {
    /** What the invoice search index holds (and {@link StripeSandbox#setSearchLag} delays). */
    static final List<String> SEARCH_FIELDS = List.of("customer", "status", "number", "currency", "metadata");

    final Map<String, String> created = new LinkedHashMap<>();
    final List<String> itemIds = new ArrayList<>();

    Invoice(ObjectNode json) {
        super(json);
    }

    @Override
    List<String> searchFields() {
        return SEARCH_FIELDS;
    }

    Map<String, String> extras() {
        Map<String, String> m = new LinkedHashMap<>(created);
        m.put("line_count", Integer.toString(itemIds.size()));
        m.put("invoice_items", String.join(",", itemIds));
        return m;
    }
}
