package dev.crmsync.billing;

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
import java.util.List;

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
 *
 * <p>This class plans and dispatches; the customer writes are {@link StripeCustomers}', the
 * invoice writes {@link StripeInvoices}', and the move to the next generation {@link KeyedWrites}'.
 */
public final class StripeConnector implements Connector {
    public static final String INTEGRATION = IntegrationId.BILLING.wireName();
    public static final String DEFAULT_BASE_URL = "https://api.stripe.com/";

    private final StripeCustomers customers;
    private final StripeInvoices invoices;

    public StripeConnector(ConnectorSettings settings) {
        StripeClient stripe =
                new StripeClient(settings.vendorUrlOr(DEFAULT_BASE_URL), settings.httpClient(), new ObjectMapper());
        this.customers = new StripeCustomers(stripe);
        this.invoices = new StripeInvoices(stripe);
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
            default ->
                new Operation.Unsupported(
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
                case Operation.SyncRecord r -> customers.upsertCustomer(request);
                case Operation.Action a -> invoices.invoiceDeal(request);
                case Operation.Unsupported u -> SyncResult.permanent(ErrorClass.UNSUPPORTED_DETAIL_TYPE, u.reason());
            };
        } catch (VendorHttp.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }
}
