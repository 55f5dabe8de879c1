package dev.crmsync.harness.contract;

import dev.crmsync.harness.SampleEvents;
import java.util.List;
import java.util.Map;

/**
 * An {@link ActionSyncBinding} of an integration that acts once per won deal of a synced account
 * (an invoice, an order): the deal ids, the account each deal is made with, the account's upsert
 * that must come first and the close are the same for every such integration; it says only how its
 * vendor performs and counts the action.
 */
public interface DealActionsBinding extends ActionSyncBinding {

    /** Each deal's account, made with the deal by {@link #newBusinessKey}: a mutable map the binding holds. */
    Map<String, String> accounts();

    @Override
    default String newBusinessKey() {
        String deal = SampleEvents.unique("006");
        accounts().put(deal, SampleEvents.unique("001"));
        return deal;
    }

    /** The deal's account, synced first. */
    @Override
    default List<String> prerequisites(String deal) {
        return List.of(SampleEvents.accountUpserted(accounts().get(deal), 1, "Account of " + deal));
    }

    /** The close of the deal, over 120.00 of its account. */
    @Override
    default String actionEvent(String deal, String eventId) {
        return SampleEvents.dealClosed(deal, accounts().get(deal), "120.00", eventId);
    }
}
