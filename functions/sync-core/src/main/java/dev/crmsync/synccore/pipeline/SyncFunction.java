package dev.crmsync.synccore.pipeline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.crmsync.synccore.config.AwsClients;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a sync function's handler hands every batch to, built once per container: its
 * {@link SyncPipeline}, or — when the pipeline could not be built — the {@link StartupFailure}
 * that answers for it, so that a configuration error fails records visibly instead of failing
 * every invocation before a record is looked at.
 */
public sealed interface SyncFunction permits SyncPipeline, StartupFailure {

    SQSBatchResponse process(SQSEvent batch, Context context);

    /** The production wiring: configuration and clients from the environment. */
    static SyncFunction fromEnvironment(Function<ConnectorSettings, Connector> connectorFactory) {
        // SecureRandom, not ThreadLocalRandom: a SnapStart snapshot would give every restored
        // container the same jitter sequence, and retries would come back in step.
        SecureRandom random = new SecureRandom();
        return start(
                System.getenv(), AwsClients::fromEnvironment, Clock.systemUTC(), random::nextDouble, connectorFactory);
    }

    /**
     * Builds the pipeline from {@code environment}; if that fails (a variable missing or malformed,
     * a connector refusing its options, a schema missing from the package), the start-up failure
     * that answers for it, told what is known of the environment.
     *
     * @param clients built at most once when the pipeline is built; again only if that failed
     */
    static SyncFunction start(
            Map<String, String> environment,
            Supplier<AwsClients> clients,
            Clock clock,
            DoubleSupplier jitter,
            Function<ConnectorSettings, Connector> connectorFactory) {
        AwsClients built = null;
        try {
            SyncConfig config = SyncConfig.from(environment);
            built = clients.get();
            return SyncPipeline.create(config, built, clock, jitter, connectorFactory);
        } catch (RuntimeException | LinkageError e) {
            AwsClients known = built;
            return StartupFailure.of(e, environment, known == null ? clients : () -> known, clock);
        }
    }
}
