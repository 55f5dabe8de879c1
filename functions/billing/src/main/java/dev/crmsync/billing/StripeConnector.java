package dev.crmsync.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.OutboundIdempotencyKey;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Billing on Stripe: {@code account.upserted} → the account's customer (created once, then kept
 * at the account's latest state); {@code deal.closed} → exactly one invoice per deal.
 *
 * <p>Every write carries an idempotency key named for the logical operation, and its parameters
 * are the same on every retry of that operation: a customer is created with its CRM id only
 * (keyed by the record) and then updated with the current state (keyed by record and version);
 * an invoice and its item are keyed by the deal, never by the event. Stripe then turns a retry
 * after a crash into a replay of its first answer.
 *
 * <p>An invoice's parameters come from the terms the first claim of its action stored
 * ({@link InvoiceTerms}), never from the close being processed: two closes of one deal with other
 * names or amounts send the same parameters under the same keys.
 *
 * <p>Stripe replays a stored 5xx too, so a key whose first answer was a 5xx fails on every retry
 * for 24 h. When that happens and the write left no effect, the record or action moves to its
 * next key generation ({@link OutboundIdempotencyKey}) and the write is sent again under a key
 * Stripe has not seen. The same holds when Stripe refuses a key it saw with other parameters
 * ({@code idempotency_error}): the keys are this connector's own, so the earlier request was one
 * of its attempts at the same operation — its effect is looked for, and without one the write
 * moves on to the next generation. The next generation is derived from the request's, so a retry
 * after a crash reaches the same keys again.
 */
public final class StripeConnector implements Connector {
    public static final String INTEGRATION = IntegrationId.BILLING.wireName();
    public static final String DEFAULT_BASE_URL = "https://api.stripe.com/";
    /** Generations one attempt moves through at most; each step answers a replayed 5xx. */
    private static final int MAX_GENERATION_STEPS = 5;

    private final StripeClient stripe;

    public StripeConnector(ConnectorSettings settings) {
        this.stripe = new StripeClient(settings.vendorUrlOr(DEFAULT_BASE_URL), settings.httpClient(), new ObjectMapper());
    }

    @Override
    public String integration() {
        return INTEGRATION;
    }

    @Override
    public Operation plan(CrmEvent event) {
        return switch (event.detailType()) {
            case "account.upserted" -> new Operation.SyncRecord("account", event.recordId());
            // the first claim of the deal's invoice pins these terms: every close then sends the same parameters
            case "deal.closed" -> new Operation.Action("invoice", event.recordId(), InvoiceTerms.storedOf(event));
            default -> new Operation.Unsupported(
                    "billing handles account.upserted and deal.closed, not " + event.detailType());
        };
    }

    @Override
    public List<RecordRef> dependencies(CrmEvent event) {
        String accountId = event.text("accountId");
        return event.detailType().equals("deal.closed") && accountId != null
                ? List.of(new RecordRef("account", accountId))
                : List.of();
    }

    @Override
    public SyncResult apply(SyncRequest request) {
        try {
            return switch (request.operation()) {
                case Operation.SyncRecord r -> upsertCustomer(request);
                case Operation.Action a -> invoiceDeal(request);
                case Operation.Unsupported u -> SyncResult.permanent(ErrorClass.UNSUPPORTED_DETAIL_TYPE, u.reason());
            };
        } catch (VendorHttp.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }

    private SyncResult upsertCustomer(SyncRequest request) throws VendorHttp.CallFailed {
        Generation keys = new Generation(request.keyGeneration());
        // the mapped customer, or the one an earlier uncommitted attempt created (found, or replayed by its key)
        String customerId = request.externalId().isPresent() ? request.externalId().get() : findOrCreateCustomer(request, keys);
        try {
            updateCustomer(customerId, request, keys);
            return new SyncResult.Applied(customerId, Map.of(), keys.current(), Optional.empty());
        } catch (StripeClient.ResourceMissing gone) {
            // Someone deleted the customer in Stripe (after it was mapped, or after an attempt that
            // never committed created it): a deleted customer cannot be updated or restored, so the
            // account gets a new one. Under the next key generation, or Stripe would replay the first
            // create and hand back the deleted customer.
            keys.advance();
            String replacement = findOrCreateCustomer(request, keys);
            updateCustomer(replacement, request, keys);
            return new SyncResult.Applied(replacement, Map.of(), keys.current(), Optional.of(new SyncResult.Remapped(
                    customerId, "customer " + customerId + " no longer exists in Stripe (deleted there); created " + replacement)));
        }
    }

    private String findOrCreateCustomer(SyncRequest request, Generation keys) throws VendorHttp.CallFailed {
        String accountId = request.event().recordId();
        if (request.retry()) {
            // An earlier attempt may have created the customer without committing it. Its
            // idempotency key covers a retry within 24 h; Stripe prunes keys after that (a DLQ
            // redrive), so the customer is looked up first. Search lags behind writes by up to a
            // minute, which the key covers.
            Optional<String> earlier = earlierCustomer(request);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        return write(keys,
                generation -> stripe.post("v1/customers", Map.of("metadata[crm_id]", accountId),
                        OutboundIdempotencyKey.of(INTEGRATION, "customer-create", accountId, generation),
                        request.credentials(), request.calls()).path("id").asText(),
                () -> earlierCustomer(request));
    }

    private Optional<String> earlierCustomer(SyncRequest request) throws VendorHttp.CallFailed {
        return stripe.findByMetadata("customers", "crm_id", request.event().recordId(), request.credentials(), request.calls())
                .map(customer -> customer.path("id").asText());
    }

    private void updateCustomer(String customerId, SyncRequest request, Generation keys) throws VendorHttp.CallFailed {
        CrmEvent account = request.event();
        // The update sets the whole state: sending it again under the next generation is harmless.
        write(keys,
                generation -> stripe.post("v1/customers/" + customerId, StripeCustomerMapping.customerParams(account),
                        OutboundIdempotencyKey.ofVersion(INTEGRATION, "customer-update", account.recordId(), account.version(), generation),
                        request.credentials(), request.calls()),
                Optional::empty);
    }

    /**
     * Draft invoice → its one item → finalize. The draft is created with {@code auto_advance=false}
     * so that Stripe never finalizes (and sends) it before its item is on it, whatever happens
     * between the calls. The amount, currency and description are the action's pinned terms (the
     * first claim's), and the line is written once: a later close of the same deal (after an
     * attempt that was not committed) finds it there and only completes the invoice.
     */
    private SyncResult invoiceDeal(SyncRequest request) throws VendorHttp.CallFailed {
        CrmEvent deal = request.event();
        String dealId = deal.recordId();
        String accountId = deal.text("accountId");
        Optional<String> customer = request.dependency("account", accountId);
        if (customer.isEmpty()) {
            return SyncResult.retryable(ErrorClass.DEPENDENCY_MISSING,
                    "account " + accountId + " has no Stripe customer yet; the invoice waits until the account is synced");
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

        Generation keys = new Generation(request.keyGeneration());
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
            invoice = write(keys,
                    generation -> stripe.post("v1/invoices", invoiceParams,
                            OutboundIdempotencyKey.of(INTEGRATION, "invoice", dealId, generation), request.credentials(), request.calls()),
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
        String itemId = earlierItem.isPresent() ? earlierItem.get() : write(keys,
                generation -> stripe.post("v1/invoiceitems", itemParams(dealId, customer.get(), invoiceId, terms),
                        OutboundIdempotencyKey.of(INTEGRATION, "invoice-item", dealId, generation),
                        request.credentials(), request.calls()).path("id").asText(),
                () -> lineItem(currentInvoice(invoiceId, request)));
        if (!itemId.isEmpty()) {
            externalIds.put("invoiceItem", itemId);
        }

        write(keys,
                generation -> stripe.post("v1/invoices/" + invoiceId + "/finalize", Map.of("auto_advance", "true"),
                        OutboundIdempotencyKey.of(INTEGRATION, "invoice-finalize", dealId, generation),
                        request.credentials(), request.calls()),
                () -> Optional.of(currentInvoice(invoiceId, request)).filter(current -> !isDraft(current)));
        return new SyncResult.Applied(invoiceId, externalIds, keys.current(), Optional.empty());
    }

    private static Map<String, String> itemParams(String dealId, String customer, String invoiceId, InvoiceTerms terms) {
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
        Optional<JsonNode> hit = stripe.findByMetadata("invoices", "crm_deal_id", request.event().recordId(),
                request.credentials(), request.calls());
        // A search hit may be as old as the index; retrieval by id is current.
        return hit.isEmpty() ? hit : Optional.of(currentInvoice(hit.get().path("id").asText(), request));
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
        return Optional.of(lines.get(0).path("parent").path("invoice_item_details").path("invoice_item").asText(""));
    }

    /** A keyed Stripe write at one key generation. */
    @FunctionalInterface
    private interface Write<T> {
        T at(int generation) throws VendorHttp.CallFailed;
    }

    /** What an earlier try of a write left in Stripe, if anything. */
    @FunctionalInterface
    private interface Effect<T> {
        Optional<T> find() throws VendorHttp.CallFailed;
    }

    /**
     * Sends {@code write} under the current key generation. When Stripe replays a 5xx it stored
     * under that key, or refuses the key because an earlier try sent it with other parameters, the
     * effect of the earlier try is looked for first (Stripe may have done the work); only when there
     * is none is the write sent again under the next generation, and so on while the key is spent.
     */
    private static <T> T write(Generation keys, Write<T> write, Effect<T> earlier) throws VendorHttp.CallFailed {
        try {
            return write.at(keys.current());
        } catch (StripeClient.ReplayedServerError | StripeClient.KeyUsedWithOtherParameters spent) {
            Optional<T> done = earlier.find();
            if (done.isPresent()) {
                return done.get();
            }
            for (int step = 1; ; step++) {
                keys.advance();
                try {
                    return write.at(keys.current());
                } catch (StripeClient.ReplayedServerError | StripeClient.KeyUsedWithOtherParameters again) {
                    if (step == MAX_GENERATION_STEPS) {
                        throw again;
                    }
                }
            }
        }
    }

    /** The key generation one attempt has reached for its record or action; starts at the request's. */
    private static final class Generation {
        private int value;

        Generation(int start) {
            this.value = start;
        }

        int current() {
            return value;
        }

        void advance() {
            value++;
        }
    }
}
