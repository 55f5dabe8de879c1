package dev.crmsync.harness.pipeline;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.contract.ActionSyncBinding;
import dev.crmsync.harness.contract.ActionSyncContract;
import dev.crmsync.harness.contract.DealActionsBinding;
import dev.crmsync.harness.contract.VendorCall;
import dev.crmsync.harness.contract.VendorProfile;
import dev.crmsync.sandbox.example.ExampleSandbox;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The example connector binds the action contract: a won deal is one order at the example vendor, for the deal's
 * account.
 */
class ExampleOrdersContractTest extends ActionSyncContract {
    private static final String ORDER_PUT = "/orders/[^/]+";

    @Override
    protected ActionSyncBinding binding() {
        return new ExampleOrders(ExampleSandbox.shared(), new ConcurrentHashMap<>());
    }

    /** @param accounts each business key's account, made with the key */
    private record ExampleOrders(ExampleSandbox vendor, Map<String, String> accounts) implements DealActionsBinding {
        @Override
        public IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds) {
            return new ExampleHarness(vendor, maxReceiveCount, queueVisibilitySeconds);
        }

        @Override
        public String action() {
            return "order";
        }

        @Override
        public VendorCall effectCall() {
            return new VendorCall("PUT", ORDER_PUT);
        }

        @Override
        public int effectsOf(String deal) {
            return (int) vendor.orders().stream()
                    .filter(order -> deal.equals(order.path("key").asText()))
                    .count();
        }

        @Override
        public void refuseNextEffects(int times) {
            ExampleHarness.refuseNextPuts(vendor, ORDER_PUT, times);
        }

        @Override
        public VendorProfile profile() {
            return ExampleHarness.PROFILE;
        }
    }
}
