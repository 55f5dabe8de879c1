package dev.crmsync.benchmark;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.billing.BillingSyncHandler;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.harness.HandlerProcess;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.helpdesk.HelpdeskSyncHandler;
import dev.crmsync.localrun.LocalIntegration;
import dev.crmsync.localrun.LocalIntegrations;
import dev.crmsync.marketing.MarketingSyncHandler;
import dev.crmsync.notifications.NotificationsSyncHandler;
import dev.crmsync.testkit.AwsEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A fresh JVM running a function's real handler to its first batch ({@link HandlerProcess}): the
 * JVM's start, the handler's static initialisation (configuration, clients, connector), one poll
 * and one batch of {@link #BATCH} new records. What the process printed at the deployed log level
 * (its JSON log lines and EMF metrics, which Lambda sends to CloudWatch Logs) is the log volume.
 */
final class StartupProbe {
    static final int BATCH = 10;

    private StartupProbe() {}

    /** How long the process took and how many bytes it logged per record. */
    record Startup(long millis, double logBytesPerRecord) {}

    static Startup measure(IntegrationId id, AwsEnvironment aws) throws IOException, InterruptedException {
        LocalIntegration<?> integration = LocalIntegrations.of(id);
        try {
            IntegrationHarness harness = integration.deploy(aws, 5, 60);
            Workload.newRecords(id, BATCH).forEach(harness::send);
            Map<String, String> environment = new HashMap<>(harness.environment);
            environment.put("POWERTOOLS_LOG_LEVEL", "INFO"); // as the stack sets it
            long start = System.nanoTime();
            HandlerProcess.Result result = HandlerProcess.pollOnce(
                    handler(id), harness, integration.sandbox().baseUrl(), environment);
            long millis = (System.nanoTime() - start) / 1_000_000;
            if (result.exitValue() != 0) {
                throw new IllegalStateException(id + "'s handler process failed:\n" + result.output());
            }
            long bytes = result.lines().stream()
                    .mapToLong(line -> line.getBytes(StandardCharsets.UTF_8).length + 1)
                    .sum();
            return new Startup(millis, bytes / (double) BATCH);
        } finally {
            integration.sandbox().close();
        }
    }

    /** The function's handler, as the stack names it. */
    static Class<? extends RequestHandler<SQSEvent, SQSBatchResponse>> handler(IntegrationId id) {
        return switch (id) {
            case BILLING -> BillingSyncHandler.class;
            case MARKETING -> MarketingSyncHandler.class;
            case HELPDESK -> HelpdeskSyncHandler.class;
            case NOTIFICATIONS -> NotificationsSyncHandler.class;
        };
    }
}
