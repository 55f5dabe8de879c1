package dev.crmsync.billing;

import dev.crmsync.synccore.event.CrmEvent;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a deal's invoice is made of: its amount in Stripe's smallest unit, its currency and its
 * line's description. Derived from a {@code deal.closed} event, stored by the first claim of the
 * deal's invoice action, and from then on the only source of the invoice's parameters: every key of
 * the action ({@code billing:invoice-item:<deal>} …) then carries the same parameters whichever close
 * performs it, so Stripe never refuses a retry with {@code idempotency_error}.
 *
 * @param amountMinor the deal's amount in the currency's smallest unit (1250.50 usd → 125050)
 * @param currency    lower case, as Stripe writes it
 * @param description the deal's name, the invoice line's text
 */
record InvoiceTerms(long amountMinor, String currency, String description) {
    private static final String AMOUNT = "amount";
    private static final String CURRENCY = "currency";
    private static final String DESCRIPTION = "description";

    /**
     * The terms of this close.
     *
     * @throws IllegalArgumentException when the amount or currency cannot be invoiced (a permanent failure)
     */
    static InvoiceTerms of(CrmEvent deal) {
        String currency = deal.text("currency");
        if (currency == null) {
            throw new IllegalArgumentException("no currency");
        }
        String lower = currency.toLowerCase(Locale.ROOT);
        try {
            long amount = StripeAmounts.minorUnits(deal.field("amount").decimalValue(), lower);
            String name = deal.text("name");
            return new InvoiceTerms(amount, lower, name == null ? "" : name);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The terms as the action item stores them; empty when this close cannot be invoiced, so that it pins nothing. */
    static Map<String, String> storedOf(CrmEvent deal) {
        try {
            return of(deal).stored();
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /** The terms the action item stored, if it stored any (an item claimed before terms were pinned has none). */
    static Optional<InvoiceTerms> fromStored(Map<String, String> stored) {
        if (!stored.containsKey(AMOUNT) || !stored.containsKey(CURRENCY)) {
            return Optional.empty();
        }
        return Optional.of(new InvoiceTerms(
                Long.parseLong(stored.get(AMOUNT)), stored.get(CURRENCY), stored.getOrDefault(DESCRIPTION, "")));
    }

    Map<String, String> stored() {
        return Map.of(AMOUNT, Long.toString(amountMinor), CURRENCY, currency, DESCRIPTION, description);
    }
}
