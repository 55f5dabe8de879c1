package dev.crmsync.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.OutboundIdempotencyKey;
import dev.crmsync.synccore.connector.RecordRef;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 */
public final class StripeConnector implements Connector {
    public static final String INTEGRATION = "billing";
    public static final String DEFAULT_BASE_URL = "https://api.stripe.com/";

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
            case "deal.closed" -> new Operation.Action("invoice", event.recordId());
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
                case Operation.Unsupported u -> SyncResult.permanent("unsupported_detail_type", u.reason());
            };
        } catch (StripeClient.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }

    private SyncResult upsertCustomer(SyncRequest request) throws StripeClient.CallFailed {
        CrmEvent account = request.event();
        Optional<String> customerId = request.externalId();
        if (customerId.isEmpty() && request.retry()) {
            // An earlier attempt may have created the customer without committing it. Its
            // idempotency key covers a retry within 24 h; Stripe prunes keys after that (a DLQ
            // redrive), so the customer is looked up first. Search lags behind writes by up to a
            // minute, which the key covers.
            customerId = stripe.findByMetadata("customers", "crm_id", account.recordId(), request.credentials(), request.callTimeout())
                    .map(customer -> customer.path("id").asText());
        }
        if (customerId.isEmpty()) {
            JsonNode created = stripe.post("v1/customers",
                    Map.of("metadata[crm_id]", account.recordId()),
                    OutboundIdempotencyKey.of(INTEGRATION, "customer-create", account.recordId()),
                    request.credentials(), request.callTimeout());
            customerId = Optional.of(created.path("id").asText());
        }
        stripe.post("v1/customers/" + customerId.get(),
                StripeCustomerMapping.customerParams(account),
                OutboundIdempotencyKey.ofVersion(INTEGRATION, "customer-update", account.recordId(), account.version()),
                request.credentials(), request.callTimeout());
        return new SyncResult.Applied(customerId.get());
    }

    /**
     * Draft invoice → its one item → finalize. The draft is created with {@code auto_advance=false}
     * so that Stripe never finalizes (and sends) it before its item is on it, whatever happens
     * between the calls.
     */
    private SyncResult invoiceDeal(SyncRequest request) throws StripeClient.CallFailed {
        CrmEvent deal = request.event();
        String dealId = deal.recordId();
        String accountId = deal.text("accountId");
        Optional<String> customer = request.dependency("account", accountId);
        if (customer.isEmpty()) {
            return SyncResult.retryable("dependency_missing",
                    "account " + accountId + " has no Stripe customer yet; the invoice waits until the account is synced");
        }
        long amountMinor;
        String currency;
        try {
            currency = deal.text("currency").toLowerCase(Locale.ROOT);
            amountMinor = StripeAmounts.minorUnits(deal.field("amount").decimalValue(), currency);
        } catch (IllegalArgumentException | ArithmeticException e) {
            return SyncResult.permanent("invalid_amount", "deal " + dealId + ": " + e.getMessage());
        }

        // As for customers: an earlier attempt's invoice is found even after its key was pruned.
        Optional<JsonNode> earlier = request.retry()
                ? stripe.findByMetadata("invoices", "crm_deal_id", dealId, request.credentials(), request.callTimeout())
                : Optional.empty();
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
            invoice = stripe.post("v1/invoices", invoiceParams,
                    OutboundIdempotencyKey.of(INTEGRATION, "invoice", dealId), request.credentials(), request.callTimeout());
        }
        String invoiceId = invoice.path("id").asText();
        Map<String, String> externalIds = new LinkedHashMap<>(Map.of("customer", customer.get(), "invoice", invoiceId));
        if (!"draft".equals(invoice.path("status").asText("draft"))) {
            return new SyncResult.Applied(invoiceId, externalIds);
        }

        if (invoice.path("lines").path("data").isEmpty()) {
            Map<String, String> itemParams = new LinkedHashMap<>();
            itemParams.put("customer", customer.get());
            itemParams.put("invoice", invoiceId);
            itemParams.put("amount", Long.toString(amountMinor));
            itemParams.put("currency", currency);
            itemParams.put("description", deal.text("name"));
            itemParams.put("metadata[crm_deal_id]", dealId);
            JsonNode item = stripe.post("v1/invoiceitems", itemParams,
                    OutboundIdempotencyKey.of(INTEGRATION, "invoice-item", dealId), request.credentials(), request.callTimeout());
            externalIds.put("invoiceItem", item.path("id").asText());
        }

        stripe.post("v1/invoices/" + invoiceId + "/finalize", Map.of("auto_advance", "true"),
                OutboundIdempotencyKey.of(INTEGRATION, "invoice-finalize", dealId), request.credentials(), request.callTimeout());
        return new SyncResult.Applied(invoiceId, externalIds);
    }
}
