package dev.crmsync.harness.pipeline;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.contract.VendorProfile;
import dev.crmsync.harness.contract.VendorProfile.RateLimitAnswer;
import dev.crmsync.sandbox.example.ExampleSandbox;
import dev.crmsync.testkit.LocalAws;
import java.util.List;

/** One deployment of the example connector on local servers, wired to an example vendor that accepts its key. */
final class ExampleHarness extends IntegrationHarness {
    static final String API_KEY = "ex_test_CrmSyncLocalKey0001";
    /** The refusal the contract bindings inject ({@link #refuseNextPuts}), as the example vendor words it. */
    private static final String REFUSAL = "The request is refused";
    /** How the example vendor looks to the contract suites. */
    static final VendorProfile PROFILE = new VendorProfile(
            API_KEY,
            key -> "{\"apiKey\":\"" + key + "\"}",
            RateLimitAnswer.WITH_RETRY_AFTER,
            "vendor_rejected",
            List.of("400", "invalid_request", REFUSAL));

    ExampleHarness(ExampleSandbox vendor, int maxReceiveCount, int queueVisibilitySeconds) {
        super(
                LocalAws.get(),
                ExampleConnector.INTEGRATION,
                ExampleConnector::new,
                vendor,
                API_KEY,
                maxReceiveCount,
                queueVisibilitySeconds);
    }

    /** Makes {@code vendor} refuse the next {@code times} PUTs to {@code pathRegex} for good (400 invalid_request). */
    static void refuseNextPuts(ExampleSandbox vendor, String pathRegex, int times) {
        vendor.rejectNext("PUT", pathRegex, times, 400, "invalid_request", REFUSAL);
    }
}
