package dev.crmsync.harness.pipeline;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.sandbox.example.ExampleSandbox;
import dev.crmsync.testkit.AwsEnvironment;
import dev.crmsync.testkit.LocalAws;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** One deployment of the example connector on local servers, wired to an example vendor that accepts its key. */
final class ExampleHarness extends IntegrationHarness {
    static final String API_KEY = "ex_test_CrmSyncLocalKey0001";

    final ExampleSandbox vendor;

    ExampleHarness(ExampleSandbox vendor, int maxReceiveCount, int queueVisibilitySeconds) {
        this(LocalAws.get(), vendor, maxReceiveCount, queueVisibilitySeconds);
    }

    ExampleHarness(AwsEnvironment aws, ExampleSandbox vendor, int maxReceiveCount, int queueVisibilitySeconds) {
        super(aws, ExampleConnector.INTEGRATION, ExampleConnector::new, vendor.baseUrl(), "{\"apiKey\":\"" + API_KEY + "\"}",
                maxReceiveCount, queueVisibilitySeconds);
        this.vendor = vendor;
        vendor.acceptApiKeys(API_KEY);
    }

    Map<String, AttributeValue> accountItem(String accountId) {
        return recordItem("account", accountId);
    }

    Map<String, AttributeValue> orderItem(String dealId) {
        return actionItem("order", dealId);
    }
}
