package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.InvoiceLines.attach;
import static dev.crmsync.sandbox.stripe.InvoiceLines.recomputeTotals;
import static dev.crmsync.sandbox.stripe.StripeParams.allow;
import static dev.crmsync.sandbox.stripe.StripeParams.applyMetadata;
import static dev.crmsync.sandbox.stripe.StripeParams.currency;
import static dev.crmsync.sandbox.stripe.StripeParams.integer;
import static dev.crmsync.sandbox.stripe.StripeParams.setOrNull;
import static dev.crmsync.sandbox.stripe.StripeParams.validateMetadata;
import static dev.crmsync.sandbox.stripe.StripeSandbox.JSON;
import static dev.crmsync.sandbox.stripe.StripeSandbox.random;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/invoiceitems} (only onto a draft invoice of the same customer and currency) and
 * {@code GET /v1/invoiceitems/{id}}. Called with {@code account.lock} held.
 */
final class InvoiceItemEndpoints {
    // Top-level parameters Stripe accepts but the sandbox does not model: accepted and ignored.
    private static final Set<String> ITEM_UNMODELED = Set.of(
            "discountable",
            "discounts",
            "price_data",
            "pricing",
            "quantity",
            "subscription",
            "tax_behavior",
            "tax_code",
            "tax_rates",
            "unit_amount_decimal");

    private final Account account;

    InvoiceItemEndpoints(Account account) {
        this.account = account;
    }

    ObjectNode createInvoiceItem(Map<String, String> params) {
        allow(
                params,
                Set.of("customer", "invoice", "amount", "currency", "description", "metadata", "period", "expand"),
                ITEM_UNMODELED);
        validateMetadata(params);
        String customerId = params.get("customer");
        if (customerId == null || customerId.isEmpty()) {
            throw ApiError.invalid("parameter_missing", "customer", "Missing required param: customer.");
        }
        Long amount = integer(params, "amount");
        if (amount == null) {
            throw ApiError.invalid("parameter_missing", "amount", "Missing required param: amount.");
        }
        String currency = currency(params);
        Long periodStart = integer(params, "period[start]");
        Long periodEnd = integer(params, "period[end]");
        Customer customer = account.customer(customerId, "customer");
        Invoice invoice = null;
        String invoiceId = params.get("invoice");
        if (invoiceId != null && !invoiceId.isEmpty()) {
            invoice = account.invoices.get(invoiceId);
            if (invoice == null) {
                throw ApiError.missing("invoice", invoiceId, "invoice");
            }
            if (!invoice.json.get("customer").asText().equals(customerId)) {
                throw new ApiError(
                        400,
                        "invalid_request_error",
                        null,
                        "invoice",
                        "Invoice " + invoiceId + " belongs to customer "
                                + invoice.json.get("customer").asText() + ", not to " + customerId + ".",
                        true);
            }
            if (!invoice.json.get("status").asText().equals("draft")) {
                throw new ApiError(
                        400,
                        "invalid_request_error",
                        "invoice_not_editable",
                        "invoice",
                        "You can only add invoice items to draft invoices.",
                        true);
            }
            String invoiceCurrency = invoice.json.get("currency").asText();
            if (currency == null) {
                currency = invoiceCurrency;
            } else if (!currency.equals(invoiceCurrency)) {
                throw new ApiError(
                        400,
                        "invalid_request_error",
                        null,
                        "currency",
                        "The currency of the invoice item (" + currency + ") must match the currency of the invoice ("
                                + invoiceCurrency + ").",
                        true);
            }
        }
        if (currency == null) {
            currency = customer.json.hasNonNull("currency")
                    ? customer.json.get("currency").asText()
                    : "usd";
        }
        long now = Instant.now().getEpochSecond();
        ObjectNode item = Fixtures.load().invoiceItem.deepCopy();
        item.put("id", "ii_" + random(24));
        item.put("object", "invoiceitem");
        item.put("amount", amount);
        item.put("currency", currency);
        item.put("customer", customerId);
        item.put("date", now);
        setOrNull(item, "description", params.get("description"));
        item.putNull("invoice");
        item.put("livemode", false);
        item.put("discountable", amount >= 0);
        item.put("proration", false);
        item.put("quantity", 1);
        if (item.has("quantity_decimal")) {
            item.put("quantity_decimal", "1");
        }
        if (item.has("net_amount")) {
            item.put("net_amount", amount);
        }
        item.putNull("parent");
        item.putNull("test_clock");
        if (item.get("pricing") instanceof ObjectNode pricing) {
            pricing.put("unit_amount_decimal", Long.toString(amount));
        }
        ObjectNode period = item.putObject("period");
        period.put("start", periodStart != null ? periodStart : now);
        period.put("end", periodEnd != null ? periodEnd : now);
        item.set("metadata", JSON.createObjectNode());
        applyMetadata(item, params);
        if (!customer.json.hasNonNull("currency")) {
            customer.json.put("currency", currency);
        }
        account.items.put(item.get("id").asText(), item);
        if (invoice != null) {
            attach(invoice, item);
            recomputeTotals(invoice, account.items);
        }
        return item.deepCopy();
    }

    /** {@code GET /v1/invoiceitems/{id}}. */
    ObjectNode retrieveInvoiceItem(String id, Map<String, String> params) {
        allow(params, Set.of("expand"), Set.of());
        ObjectNode item = account.items.get(id);
        if (item == null) {
            throw ApiError.missing("invoiceitem", id, "id");
        }
        return item.deepCopy();
    }
}
