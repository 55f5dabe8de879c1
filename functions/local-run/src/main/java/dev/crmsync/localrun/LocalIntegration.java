package dev.crmsync.localrun;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.testkit.AwsEnvironment;
import java.util.Map;
import java.util.function.Function;

/**
 * What one integration of the catalog needs to run on this machine: its connector, its vendor's sandbox
 * (started, accepting the local credential, holding the state the connector expects — a Mailchimp list, a
 * Slack channel), the secret's value as on-call puts it, and the connector options the stack would set.
 *
 * @param id        the integration
 * @param connector the connector's factory, as the integration's handler builds it
 * @param sandbox   the vendor sandbox, started
 * @param secretJson the integration's secret value (e.g. {@code {"apiKey":"…"}})
 * @param options   the connector options ({@code CRM_SYNC_OPTION_*}) with local values
 */
public record LocalIntegration<S extends VendorSandbox<S>>(
        IntegrationId id,
        Function<ConnectorSettings, Connector> connector,
        S sandbox,
        String secretJson,
        Map<EnvVar, String> options) {

    public LocalIntegration {
        options = Map.copyOf(options);
    }

    /** The integration's name ({@code billing}). */
    public String name() {
        return id.wireName();
    }

    /** The value of one connector option, which must be set. */
    public String option(EnvVar option) {
        String value = options.get(option);
        if (value == null) {
            throw new IllegalArgumentException(name() + " has no option " + option);
        }
        return value;
    }

    /**
     * Deploys the integration on {@code aws}: its table, its queue with its DLQ (a RedrivePolicy of
     * {@code maxReceiveCount}), its secret, and the connector options in the function's environment.
     */
    public IntegrationHarness deploy(AwsEnvironment aws, int maxReceiveCount, int queueVisibilitySeconds) {
        return withOptions(new IntegrationHarness(
                aws, name(), connector, sandbox.baseUrl(), secretJson, maxReceiveCount, queueVisibilitySeconds));
    }

    /** Deploys the integration on {@code aws} with resources of these names (the table exists). */
    public IntegrationHarness deploy(
            AwsEnvironment aws,
            IntegrationHarness.Resources resources,
            int maxReceiveCount,
            int queueVisibilitySeconds) {
        return withOptions(new IntegrationHarness(
                aws,
                name(),
                connector,
                sandbox.baseUrl(),
                secretJson,
                resources,
                maxReceiveCount,
                queueVisibilitySeconds));
    }

    private IntegrationHarness withOptions(IntegrationHarness harness) {
        options.forEach((option, value) -> harness.environment.put(option.wireName(), value));
        return harness;
    }
}
