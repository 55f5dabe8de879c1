package dev.crmsync.faultrun;

import dev.crmsync.sandbox.stripe.StripeSandbox;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Billing as Stripe holds it: customers (one per account, named by the account's label), invoices
 * (one per deal, found through their item's description, the deal's label) and the customer
 * updates of the request log.
 */
final class StripeView implements VendorView {
    private final StripeSandbox stripe;
    private final Map<String, Integer> dealByRecordId;

    /** @param dealByRecordId the run's deals by CRM id: how an invoice without an item is told by its metadata */
    StripeView(StripeSandbox stripe, Map<String, Integer> dealByRecordId) {
        this.stripe = stripe;
        this.dealByRecordId = dealByRecordId;
    }

    @Override
    public List<StateWrite> stateWrites() {
        return VendorView.stateWrites(
                stripe.calls("POST", "/v1/customers/cus_[^/]+"),
                call -> call.params().get("name"));
    }

    @Override
    public Map<Integer, List<Long>> liveObjects() {
        return VendorView.byRecord(stripe.customers(), customer -> customer.get("name"));
    }

    @Override
    public List<String> orphans() {
        List<String> orphans = new ArrayList<>();
        for (Map<String, String> customer : stripe.customers()) {
            if (CrmRecord.parseLabel(customer.get("name")) == null) {
                orphans.add("customer " + customer.get("id") + " (metadata[crm_id] " + customer.get("metadata[crm_id]")
                        + ") has no account's state");
            }
        }
        Map<String, Integer> dealOf = invoiceDeals();
        for (Map<String, String> invoice : stripe.invoices()) {
            if (!dealOf.containsKey(invoice.get("id"))) {
                orphans.add("invoice " + invoice.get("id") + " (metadata[crm_deal_id] "
                        + invoice.get("metadata[crm_deal_id]") + ") has no deal's item");
            }
        }
        return orphans;
    }

    @Override
    public Map<Integer, List<ActionObject>> actions() {
        Map<String, Integer> dealOf = invoiceDeals();
        Map<String, Long> closeOf = new HashMap<>();
        for (Map<String, String> item : stripe.invoiceItems()) {
            long[] label = CrmRecord.parseLabel(item.get("description"));
            if (label != null && item.get("invoice") != null) {
                closeOf.putIfAbsent(item.get("invoice"), label[1]);
            }
        }
        Map<Integer, List<ActionObject>> actions = new HashMap<>();
        for (Map<String, String> invoice : stripe.invoices()) {
            Integer deal = dealOf.get(invoice.get("id"));
            if (deal != null) {
                boolean complete = !"draft".equals(invoice.get("status")) && "1".equals(invoice.get("line_count"));
                actions.computeIfAbsent(deal, d -> new ArrayList<>())
                        .add(new ActionObject(
                                invoice.get("id"), closeOf.getOrDefault(invoice.get("id"), 0L), complete));
            }
        }
        return actions;
    }

    /**
     * The deal of each invoice: from its item's description, or — for an invoice without an item —
     * from another invoice of the same {@code metadata[crm_deal_id]} that has one.
     */
    private Map<String, Integer> invoiceDeals() {
        Map<String, Integer> dealOf = new HashMap<>();
        for (Map<String, String> item : stripe.invoiceItems()) {
            long[] label = CrmRecord.parseLabel(item.get("description"));
            if (label != null && item.get("invoice") != null) {
                dealOf.putIfAbsent(item.get("invoice"), (int) label[0]);
            }
        }
        Map<String, Integer> dealOfMetadata = new HashMap<>(dealByRecordId);
        List<Map<String, String>> invoices = stripe.invoices();
        for (Map<String, String> invoice : invoices) {
            Integer deal = dealOf.get(invoice.get("id"));
            if (deal != null && invoice.get("metadata[crm_deal_id]") != null) {
                dealOfMetadata.put(invoice.get("metadata[crm_deal_id]"), deal);
            }
        }
        for (Map<String, String> invoice : invoices) {
            Integer deal = dealOfMetadata.get(invoice.get("metadata[crm_deal_id]"));
            if (deal != null) {
                dealOf.putIfAbsent(invoice.get("id"), deal);
            }
        }
        return dealOf;
    }

    @Override
    public Optional<String> deleteByHand(CrmRecord account) {
        String prefix = "Acct " + account.index() + " v";
        Optional<String> id = stripe.customers().stream()
                .filter(c -> c.get("name") != null && c.get("name").startsWith(prefix))
                .map(c -> c.get("id"))
                .findFirst();
        id.ifPresent(stripe::deleteCustomer);
        return id.map(c -> "customer " + c);
    }
}
