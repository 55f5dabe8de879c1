package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.StripeSandbox.random;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An invoice's lines and totals: an invoice item becomes a line (Stripe's example line item with
 * the item's amount, currency, description, metadata and period), and the amounts are the sum of
 * the lines. Called with {@code Account.lock} held.
 */
final class InvoiceLines {
    private InvoiceLines() {}

    static void attach(Invoice invoice, ObjectNode item) {
        String invoiceId = invoice.json.get("id").asText();
        item.put("invoice", invoiceId);
        ObjectNode line = Fixtures.load().lineItem.deepCopy();
        line.put("id", "il_" + random(24));
        line.put("object", "line_item");
        line.put("amount", item.get("amount").asLong());
        line.put("currency", item.get("currency").asText());
        line.set("description", item.get("description").deepCopy());
        line.put("invoice", invoiceId);
        line.put("livemode", false);
        line.put("discountable", item.get("discountable").asBoolean());
        line.set("metadata", item.get("metadata").deepCopy());
        line.set("period", item.get("period").deepCopy());
        line.put("quantity", 1);
        line.putNull("subscription");
        if (line.has("subtotal")) {
            line.put("subtotal", item.get("amount").asLong());
        }
        if (line.has("quantity_decimal")) {
            line.put("quantity_decimal", "1");
        }
        ObjectNode parent = line.putObject("parent");
        ObjectNode details = parent.putObject("invoice_item_details");
        details.put("invoice_item", item.get("id").asText());
        details.put("proration", false);
        details.putNull("proration_details");
        details.putNull("subscription");
        parent.putNull("subscription_item_details");
        parent.put("type", "invoice_item_details");
        if (line.get("pricing") instanceof ObjectNode pricing) {
            pricing.put("unit_amount_decimal", Long.toString(item.get("amount").asLong()));
        }
        ((ArrayNode) invoice.json.get("lines").get("data")).add(line);
        invoice.itemIds.add(item.get("id").asText());
    }

    static void recomputeTotals(Invoice invoice, Map<String, ObjectNode> items) {
        long total = 0;
        for (String itemId : invoice.itemIds) {
            total += items.get(itemId).get("amount").asLong();
        }
        ObjectNode inv = invoice.json;
        long due = Math.max(0, total);
        for (String f : List.of("subtotal", "subtotal_excluding_tax", "total", "total_excluding_tax")) {
            inv.put(f, total);
        }
        inv.put("amount_due", due);
        inv.put("amount_remaining", due);
        ((ObjectNode) inv.get("lines")).put("total_count", invoice.itemIds.size());
    }
}
