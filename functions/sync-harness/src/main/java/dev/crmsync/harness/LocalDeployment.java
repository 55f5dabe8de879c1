package dev.crmsync.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.synccore.config.SyncConfig;
import dev.crmsync.synccore.pipeline.SyncPipeline;
import dev.crmsync.testkit.LocalEventSourceMapping;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One integration deployed fresh on the local servers before every test, with its vendor's sandbox
 * reset first: the set-up each integration test class shares, as a JUnit extension.
 *
 * <pre>{@code
 * @RegisterExtension
 * final LocalDeployment<HelpdeskHarness> local =
 *         LocalDeployment.of(zendesk, () -> new HelpdeskHarness(zendesk, 4, 30));
 * }</pre>
 *
 * The test then reaches the deployment by {@link #harness()}, the pipeline the function built by
 * {@link #pipeline()}, the event source mapping by {@link #esm()}, and sends and drains events with
 * {@link #deliver}.
 */
public final class LocalDeployment<H extends IntegrationHarness> implements BeforeEachCallback {
    /** How long {@link #deliver} waits for the queue to empty. */
    public static final Duration DRAIN = Duration.ofSeconds(20);

    private final VendorSandbox<?> vendor;
    private final Supplier<H> deploy;
    private H harness;
    private SyncPipeline pipeline;
    private LocalEventSourceMapping esm;

    private LocalDeployment(VendorSandbox<?> vendor, Supplier<H> deploy) {
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.deploy = Objects.requireNonNull(deploy, "deploy");
    }

    /** Before each test: {@code vendor} reset, then {@code deploy} run and its event source mapping made. */
    public static <H extends IntegrationHarness> LocalDeployment<H> of(VendorSandbox<?> vendor, Supplier<H> deploy) {
        return new LocalDeployment<>(vendor, deploy);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        vendor.reset();
        redeploy(deploy);
    }

    /** Replaces the deployment for the rest of the test (e.g. one whose queue has another visibility timeout). */
    public H redeploy(Supplier<H> other) {
        harness = other.get();
        rebuildPipeline();
        return harness;
    }

    /** The same deployment with its pipeline built again, as a new function version reads its changed configuration. */
    public void rebuildPipeline() {
        reconfigure(UnaryOperator.identity(), IntegrationHarness.FUNCTION_TIMEOUT);
    }

    /**
     * The same deployment with its pipeline built from the configuration {@code change} makes of the
     * stack's (e.g. another retry window or tuning), invoked with {@code functionTimeout}.
     */
    public void reconfigure(UnaryOperator<SyncConfig> change, Duration functionTimeout) {
        pipeline = harness.pipeline(change.apply(harness.config()), Clock.systemUTC());
        esm = harness.eventSourceMapping(pipeline, functionTimeout);
    }

    /** {@link #reconfigure(UnaryOperator, Duration)} with the function's usual timeout. */
    public void reconfigure(UnaryOperator<SyncConfig> change) {
        reconfigure(change, IntegrationHarness.FUNCTION_TIMEOUT);
    }

    public H harness() {
        return harness;
    }

    /** The pipeline the event source mapping invokes, to hand it a batch directly (e.g. a redelivery). */
    public SyncPipeline pipeline() {
        return pipeline;
    }

    /** The deployment's event source mapping, polling its queue with the pipeline as the function builds it. */
    public LocalEventSourceMapping esm() {
        return esm;
    }

    /** Sends {@code bodies} to the queue and drains it (at most {@link #DRAIN}). */
    public void deliver(String... bodies) {
        for (String body : bodies) {
            harness.send(body);
        }
        esm.drain(DRAIN);
    }

    /**
     * Drains the queue and checks what every permanent failure must show: {@code dlqMessages} messages in the
     * DLQ within seconds (not at the end of the retry window), and {@code eventId}'s status item
     * {@code FAILED_PERMANENT} with {@code errorClass}. Returns that item, for the vendor's own reason.
     */
    public Map<String, AttributeValue> drainToTheDlq(String eventId, String errorClass, int dlqMessages) {
        Instant start = Instant.now();
        esm.drain(DRAIN);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
        assertThat(harness.dlqMessages()).hasSize(dlqMessages);
        Map<String, AttributeValue> status = harness.statusItem(eventId);
        assertThat(status.get("outcome").s()).isEqualTo("FAILED_PERMANENT");
        assertThat(status.get("errorClass").s()).isEqualTo(errorClass);
        return status;
    }
}
