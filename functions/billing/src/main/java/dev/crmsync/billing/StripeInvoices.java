package dev.crmsync.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.OutboundIdempotencyKey;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A closed deal's one Stripe invoice: its draft, its item and its finalization, each keyed by the
 * deal (never by the event), with the parameters of the terms the action's first claim pinned
 * ({@link InvoiceTerms}).
 */
final class StripeInvoices {
    private final StripeClient stripe;

    StripeInvoices(StripeClient stripe) {
        this.stripe = stripe;
    }

    /**
     * Draft invoice → its one item → finalize. The draft is created with {@code auto_advance=false}
     * so that Stripe never finalizes (and sends) it before its item is on it, whatever happens
     * between the calls. The amount, currency and description are the action's pinned terms (the
     * first claim's), and the line is written once: a later close of the same deal (after an
     * attempt that was not committed) finds it there and only completes the invoice.
     */
    SyncResult invoiceDeal(SyncRequest request) throws VendorHttp.CallFailed {
        CrmEvent deal = request.event();
        String dealId = deal.recordId();
        String accountId = deal.text("accountId");
        Optional<String> customer = request.dependency("account", accountId);
        if (customer.isEmpty()) {
            return SyncResult.retryable(
                    ErrorClass.DEPENDENCY_MISSING,
                    "account " + accountId
                            + " has no Stripe customer yet; the invoice waits until the account is synced");
        }
        InvoiceTerms terms;
        try {
            // no pinned terms: this close could not pin any (it is invalid, which of() says), or the
            // request comes from before terms were pinned
            terms = InvoiceTerms.fromStored(request.actionTerms()).orElseGet(() -> InvoiceTerms.of(deal));
        } catch (IllegalArgumentException e) {
            return SyncResult.permanent("invalid_amount", "deal " + dealId + ": " + e.getMessage());
        }
        String currency = terms.currency();

        KeyGeneration keys = new KeyGeneration(request.keyGeneration());
        // As for customers: an earlier attempt's invoice is found even after its key was pruned.
        Optional<JsonNode> earlier = request.retry() ? earlierInvoice(request) : Optional.empty();
        JsonNode invoice;
        if (earlier.isPresent()) {
            invoice = earlier.get();
        } else {
            Map<String, String> invoiceParams = new LinkedHashMap<>();
            invoiceParams.put("customer", customer.get());
            invoiceParams.put("currency", currency);
            invoiceParams.put("collection_method", "send_invoice");
            invoiceParams.put("days_until_due", "30");
            invoiceParams.put("auto_advance", "false");
            // Only the item created below goes on this invoice, never other pending items of the customer.
            invoiceParams.put("pending_invoice_items_behavior", "exclude");
            invoiceParams.put("metadata[crm_deal_id]", dealId);
            invoice = KeyedWrites.send(
                    keys,
                    generation -> stripe.post(
                            "v1/invoices",
                            invoiceParams,
                            OutboundIdempotencyKey.of(StripeConnector.INTEGRATION, "invoice", dealId, generation),
                            request.credentials(),
                            request.calls()),
                    () -> earlierInvoice(request));
            if (request.retry()) {
                // A replayed create shows the draft as it was created, without what an earlier
                // attempt did to it since (its line, its finalization).
                invoice = currentInvoice(invoice.path("id").asText(), request);
            }
        }
        String invoiceId = invoice.path("id").asText();
        Map<String, String> externalIds = new LinkedHashMap<>(Map.of("customer", customer.get(), "invoice", invoiceId));
        if (!isDraft(invoice)) {
            return new SyncResult.Applied(invoiceId, externalIds, keys.current(), Optional.empty());
        }

        Optional<String> earlierItem = lineItem(invoice);
        String itemId = earlierItem.isPresent()
                ? earlierItem.get()
                : KeyedWrites.send(
                        keys,
                        generation -> stripe.post(
                                        "v1/invoiceitems",
                                        itemParams(dealId, customer.get(), invoiceId, terms),
                                        OutboundIdempotencyKey.of(
                                                StripeConnector.INTEGRATION, "invoice-item", dealId, generation),
                                        request.credentials(),
                                        request.calls())
                                .path("id")
                                .asText(),
                        () -> lineItem(currentInvoice(invoiceId, request)));
        if (!itemId.isEmpty()) {
            externalIds.put("invoiceItem", itemId);
        }

        KeyedWrites.send(
                keys,
                generation -> stripe.post(
                        "v1/invoices/" + invoiceId + "/finalize",
                        Map.of("auto_advance", "true"),
                        OutboundIdempotencyKey.of(StripeConnector.INTEGRATION, "invoice-finalize", dealId, generation),
                        request.credentials(),
                        request.calls()),
                () -> Optional.of(currentInvoice(invoiceId, request)).filter(current -> !isDraft(current)));
        return new SyncResult.Applied(invoiceId, externalIds, keys.current(), Optional.empty());
    }

    private static Map<String, String> itemParams(
            String dealId, String customer, String invoiceId, InvoiceTerms terms) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("customer", customer);
        params.put("invoice", invoiceId);
        params.put("amount", Long.toString(terms.amountMinor()));
        params.put("currency", terms.currency());
        params.put("description", terms.description());
        params.put("metadata[crm_deal_id]", dealId);
        return params;
    }

    /** The deal's invoice as it is now, when an earlier attempt created one (search, then retrieval by id). */
    private Optional<JsonNode> earlierInvoice(SyncRequest request) throws VendorHttp.CallFailed {
        Optional<JsonNode> hit = stripe.findByMetadata(
                "invoices", "crm_deal_id", request.event().recordId(), request.credentials(), request.calls());
        // A search hit may be as old as the index; retrieval by id is current.
        return hit.isEmpty()
                ? hit
                : Optional.of(currentInvoice(hit.get().path("id").asText(), request));
    }

    private JsonNode currentInvoice(String invoiceId, SyncRequest request) throws VendorHttp.CallFailed {
        return stripe.get("v1/invoices/" + invoiceId, request.credentials(), request.calls());
    }

    private static boolean isDraft(JsonNode invoice) {
        return "draft".equals(invoice.path("status").asText("draft"));
    }

    /**
     * The invoice item behind the invoice's first line (its shape under the pinned API version);
     * empty when the invoice has no line yet.
     */
    private static Optional<String> lineItem(JsonNode invoice) {
        JsonNode lines = invoice.path("lines").path("data");
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(lines.get(0)
                .path("parent")
                .path("invoice_item_details")
                .path("invoice_item")
                .asText(""));
    }
}
