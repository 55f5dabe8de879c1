package dev.crmsync.billing;

import dev.crmsync.synccore.connector.OutboundIdempotencyKey;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.Map;
import java.util.Optional;

/**
 * An account's Stripe customer: created once with its CRM id only (keyed by the record), then kept
 * at the account's latest state (keyed by record and version).
 */
final class StripeCustomers {
    private final StripeClient stripe;

    StripeCustomers(StripeClient stripe) {
        this.stripe = stripe;
    }

    SyncResult upsertCustomer(SyncRequest request) throws VendorHttp.CallFailed {
        KeyGeneration keys = new KeyGeneration(request.keyGeneration());
        // the mapped customer, or the one an earlier uncommitted attempt created (found, or replayed by its key)
        String customerId =
                request.externalId().isPresent() ? request.externalId().get() : findOrCreateCustomer(request, keys);
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
            return new SyncResult.Applied(
                    replacement,
                    Map.of(),
                    keys.current(),
                    Optional.of(new SyncResult.Remapped(
                            customerId,
                            "customer " + customerId + " no longer exists in Stripe (deleted there); created "
                                    + replacement)));
        }
    }

    private String findOrCreateCustomer(SyncRequest request, KeyGeneration keys) throws VendorHttp.CallFailed {
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
        return KeyedWrites.send(
                keys,
                generation -> stripe.post(
                                "v1/customers",
                                Map.of("metadata[crm_id]", accountId),
                                OutboundIdempotencyKey.of(
                                        StripeConnector.INTEGRATION, "customer-create", accountId, generation),
                                request.credentials(),
                                request.calls())
                        .path("id")
                        .asText(),
                () -> earlierCustomer(request));
    }

    private Optional<String> earlierCustomer(SyncRequest request) throws VendorHttp.CallFailed {
        return stripe.findByMetadata(
                        "customers", "crm_id", request.event().recordId(), request.credentials(), request.calls())
                .map(customer -> customer.path("id").asText());
    }

    private void updateCustomer(String customerId, SyncRequest request, KeyGeneration keys)
            throws VendorHttp.CallFailed {
        CrmEvent account = request.event();
        // The update sets the whole state: sending it again under the next generation is harmless.
        KeyedWrites.send(
                keys,
                generation -> stripe.post(
                        "v1/customers/" + customerId,
                        StripeCustomerMapping.customerParams(account),
                        OutboundIdempotencyKey.ofVersion(
                                StripeConnector.INTEGRATION,
                                "customer-update",
                                account.recordId(),
                                account.version(),
                                generation),
                        request.credentials(),
                        request.calls()),
                Optional::empty);
    }
}
