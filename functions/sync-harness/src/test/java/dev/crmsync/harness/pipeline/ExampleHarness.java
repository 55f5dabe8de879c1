package dev.crmsync.harness.pipeline;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.sandbox.example.ExampleSandbox;
import dev.crmsync.testkit.LocalAws;

/** One deployment of the example connector on local servers, wired to an example vendor that accepts its key. */
final class ExampleHarness extends IntegrationHarness {
    static final String API_KEY = "ex_test_CrmSyncLocalKey0001";

    ExampleHarness(ExampleSandbox vendor, int maxReceiveCount, int queueVisibilitySeconds) {
        super(LocalAws.get(), ExampleConnector.INTEGRATION, ExampleConnector::new, vendor, API_KEY, maxReceiveCount, queueVisibilitySeconds);
    }
}
