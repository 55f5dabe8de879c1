package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.InvoiceLines.attach;
import static dev.crmsync.sandbox.stripe.InvoiceLines.recomputeTotals;
import static dev.crmsync.sandbox.stripe.StripeParams.allow;
import static dev.crmsync.sandbox.stripe.StripeParams.applyMetadata;
import static dev.crmsync.sandbox.stripe.StripeParams.bool;
import static dev.crmsync.sandbox.stripe.StripeParams.currency;
import static dev.crmsync.sandbox.stripe.StripeParams.integer;
import static dev.crmsync.sandbox.stripe.StripeParams.setOrNull;
import static dev.crmsync.sandbox.stripe.StripeParams.validateMetadata;
import static dev.crmsync.sandbox.stripe.StripeSandbox.JSON;
import static dev.crmsync.sandbox.stripe.StripeSandbox.random;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/invoices}, {@code POST /v1/invoices/{id}/finalize} and {@code GET
 * /v1/invoices/{id}} (search is in {@link SearchEndpoints}, lines and totals in {@link
 * InvoiceLines}). Called with {@code account.lock} held.
 */
final class InvoiceEndpoints {
    // Top-level parameters Stripe accepts but the sandbox does not model: accepted and ignored.
    private static final Set<String> INVOICE_UNMODELED = Set.of(
            "account_tax_ids",
            "application_fee_amount",
            "automatic_tax",
            "automatically_finalizes_at",
            "custom_fields",
            "default_payment_method",
            "default_source",
            "default_tax_rates",
            "discounts",
            "effective_at",
            "footer",
            "from_invoice",
            "issuer",
            "number",
            "on_behalf_of",
            "payment_settings",
            "rendering",
            "shipping_cost",
            "shipping_details",
            "statement_descriptor",
            "subscription",
            "transfer_data");

    private final Account account;

    InvoiceEndpoints(Account account) {
        this.account = account;
    }

    ObjectNode createInvoice(Map<String, String> params) {
        allow(
                params,
                Set.of(
                        "customer",
                        "metadata",
                        "collection_method",
                        "days_until_due",
                        "due_date",
                        "pending_invoice_items_behavior",
                        "auto_advance",
                        "description",
                        "currency",
                        "expand"),
                INVOICE_UNMODELED);
        validateMetadata(params);
        String customerId = params.get("customer");
        if (customerId == null || customerId.isEmpty()) {
            throw ApiError.invalid("parameter_missing", "customer", "Missing required param: customer.");
        }
        String collection = params.getOrDefault("collection_method", "charge_automatically");
        if (!collection.equals("charge_automatically") && !collection.equals("send_invoice")) {
            throw ApiError.invalid(
                    null,
                    "collection_method",
                    "Invalid collection_method: must be one of charge_automatically or send_invoice");
        }
        Long daysUntilDue = integer(params, "days_until_due");
        Long dueDate = integer(params, "due_date");
        if ((daysUntilDue != null || dueDate != null) && !collection.equals("send_invoice")) {
            throw ApiError.invalid(
                    null,
                    daysUntilDue != null ? "days_until_due" : "due_date",
                    "You can only set `" + (daysUntilDue != null ? "days_until_due" : "due_date")
                            + "` if `collection_method` is `send_invoice`.");
        }
        String pending = params.getOrDefault("pending_invoice_items_behavior", "exclude");
        if (!pending.equals("include") && !pending.equals("exclude")) {
            throw ApiError.invalid(
                    null,
                    "pending_invoice_items_behavior",
                    "Invalid pending_invoice_items_behavior: must be one of exclude or include");
        }
        Boolean autoAdvance = bool(params, "auto_advance");
        String currency = currency(params);
        Customer customer = account.customer(customerId, "customer");

        long now = Instant.now().getEpochSecond();
        String id = "in_" + random(24);
        ObjectNode inv = Fixtures.load().invoice.deepCopy();
        inv.put("id", id);
        inv.put("created", now);
        inv.put("livemode", false);
        inv.put("customer", customerId);
        ObjectNode cj = customer.json;
        inv.set("customer_address", cj.get("address").deepCopy());
        inv.set("customer_email", cj.get("email").deepCopy());
        inv.set("customer_name", cj.get("name").deepCopy());
        inv.set("customer_phone", cj.get("phone").deepCopy());
        inv.putNull("customer_shipping");
        inv.set("customer_tax_exempt", cj.path("tax_exempt").deepCopy());
        inv.put("status", "draft");
        inv.put("collection_method", collection);
        inv.put("auto_advance", autoAdvance != null && autoAdvance);
        setOrNull(inv, "description", params.get("description"));
        inv.put("billing_reason", "manual");
        inv.putNull("number");
        inv.put("attempt_count", 0);
        inv.put("attempted", false);
        inv.put("amount_paid", 0);
        inv.put("amount_shipping", 0);
        inv.put("amount_overpaid", 0);
        inv.put("starting_balance", 0);
        inv.putNull("ending_balance");
        inv.putNull("effective_at");
        inv.putNull("next_payment_attempt");
        inv.putNull("webhooks_delivered_at");
        inv.putNull("last_finalization_error");
        inv.putNull("from_invoice");
        inv.putNull("parent");
        inv.putNull("shipping_cost");
        inv.putNull("shipping_details");
        inv.putNull("hosted_invoice_url");
        inv.putNull("invoice_pdf");
        inv.putNull("receipt_number");
        ObjectNode transitions = inv.putObject("status_transitions");
        for (String t : List.of("finalized_at", "marked_uncollectible_at", "paid_at", "voided_at")) {
            transitions.putNull(t);
        }
        inv.put("period_start", now);
        inv.put("period_end", now);
        if (inv.get("automatically_finalizes_at") != null) {
            if (autoAdvance != null && autoAdvance) {
                inv.put("automatically_finalizes_at", now + 3600);
            } else {
                inv.putNull("automatically_finalizes_at");
            }
        }
        ObjectNode paymentSettings = inv.putObject("payment_settings");
        paymentSettings.putNull("default_mandate");
        paymentSettings.putNull("payment_method_options");
        paymentSettings.putNull("payment_method_types");
        if (collection.equals("send_invoice")) {
            inv.put("due_date", dueDate != null ? dueDate : now + 86400L * (daysUntilDue != null ? daysUntilDue : 30));
        } else {
            inv.putNull("due_date");
        }
        ObjectNode lines = inv.putObject("lines");
        lines.put("object", "list");
        lines.putArray("data");
        lines.put("has_more", false);
        lines.put("total_count", 0);
        lines.put("url", "/v1/invoices/" + id + "/lines");
        inv.set("metadata", JSON.createObjectNode());
        applyMetadata(inv, params);

        Invoice invoice = new Invoice(inv);
        invoice.created.put("pending_invoice_items_behavior", pending);
        if (daysUntilDue != null) {
            invoice.created.put("days_until_due", Long.toString(daysUntilDue));
        }
        List<ObjectNode> pendingItems = new ArrayList<>();
        if (pending.equals("include")) {
            for (ObjectNode item : account.items.values()) {
                if (item.get("customer").asText().equals(customerId)
                        && item.get("invoice").isNull()) {
                    pendingItems.add(item);
                }
            }
        }
        String invoiceCurrency = currency != null
                ? currency
                : !pendingItems.isEmpty()
                        ? pendingItems.get(0).get("currency").asText()
                        : cj.hasNonNull("currency") ? cj.get("currency").asText() : "usd";
        inv.put("currency", invoiceCurrency);
        account.invoices.put(id, invoice);
        for (ObjectNode item : pendingItems) {
            if (item.get("currency").asText().equals(invoiceCurrency)) {
                attach(invoice, item);
            }
        }
        recomputeTotals(invoice, account.items);
        invoice.snapshot();
        return inv.deepCopy();
    }

    /**
     * {@code POST /v1/invoices/{id}/finalize}: a draft becomes {@code open} with a number, a hosted
     * page and {@code status_transitions[finalized_at]}; an invoice with nothing due is marked {@code
     * paid} at once (Stripe: "If the amount due for the invoice is less than Stripe's minimum allowed
     * charge per currency, the invoice is automatically marked paid"; only the zero case is modeled).
     */
    ObjectNode finalizeInvoice(String id, Map<String, String> params) {
        allow(params, Set.of("auto_advance", "expand"), Set.of());
        Boolean autoAdvance = bool(params, "auto_advance");
        Invoice invoice = account.invoices.get(id);
        if (invoice == null) {
            throw ApiError.missing("invoice", id, "id");
        }
        ObjectNode inv = invoice.json;
        if (!inv.get("status").asText().equals("draft")) {
            throw new ApiError(
                    400,
                    "invalid_request_error",
                    "invoice_already_finalized",
                    null,
                    "This invoice is already finalized, you can't re-finalize a non-draft invoice.",
                    true);
        }
        Customer customer = account.customer(inv.get("customer").asText(), "customer");
        long now = Instant.now().getEpochSecond();
        recomputeTotals(invoice, account.items); // amounts are the sum of the lines, frozen from now on
        ObjectNode cj = customer.json;
        long sequence = cj.path("next_invoice_sequence").asLong(1);
        inv.put("number", cj.get("invoice_prefix").asText() + "-" + String.format(Locale.ROOT, "%04d", sequence));
        cj.put("next_invoice_sequence", sequence + 1);
        // Customer details are copied onto the invoice and frozen at finalization.
        inv.set("customer_address", cj.get("address").deepCopy());
        inv.set("customer_email", cj.get("email").deepCopy());
        inv.set("customer_name", cj.get("name").deepCopy());
        inv.set("customer_phone", cj.get("phone").deepCopy());
        if (autoAdvance != null) {
            inv.put("auto_advance", autoAdvance);
        }
        String token = "test_" + random(44);
        inv.put("hosted_invoice_url", "https://invoice.stripe.com/i/acct_sandbox/" + token + "?s=ap");
        inv.put("invoice_pdf", "https://pay.stripe.com/invoice/acct_sandbox/" + token + "/pdf?s=ap");
        if (!inv.hasNonNull("effective_at")) {
            inv.put("effective_at", now);
        }
        if (inv.has("automatically_finalizes_at")) {
            inv.putNull("automatically_finalizes_at");
        }
        ObjectNode transitions = (ObjectNode) inv.get("status_transitions");
        transitions.put("finalized_at", now);
        if (inv.get("amount_due").asLong() == 0) {
            inv.put("status", "paid");
            inv.put("attempted", true);
            inv.put("auto_advance", false);
            inv.put("amount_remaining", 0);
            inv.put("ending_balance", 0);
            inv.putNull("next_payment_attempt");
            transitions.put("paid_at", now);
        } else {
            inv.put("status", "open");
            inv.put("ending_balance", 0);
            boolean automatic = inv.get("auto_advance").asBoolean()
                    && inv.get("collection_method").asText().equals("charge_automatically");
            if (automatic) {
                inv.put("next_payment_attempt", now + 3600);
            } else {
                inv.putNull("next_payment_attempt");
            }
        }
        invoice.snapshot();
        return inv.deepCopy();
    }

    /** {@code GET /v1/invoices/{id}}. */
    ObjectNode retrieveInvoice(String id, Map<String, String> params) {
        allow(params, Set.of("expand"), Set.of());
        Invoice inv = account.invoices.get(id);
        if (inv == null) {
            throw ApiError.missing("invoice", id, "id");
        }
        return inv.json.deepCopy();
    }
}
