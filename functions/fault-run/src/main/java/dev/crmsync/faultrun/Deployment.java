package dev.crmsync.faultrun;

import dev.crmsync.contract.EnvVar;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.localrun.LocalIntegration;
import dev.crmsync.localrun.LocalIntegrations;
import dev.crmsync.sandbox.RandomFaults;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.VendorSandbox;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import dev.crmsync.sandbox.slack.SlackSandbox;
import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import dev.crmsync.testkit.AwsEnvironment;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One integration deployed for the run: its table, queue, DLQ and secret ({@link IntegrationHarness},
 * as the stack deploys them), its own vendor sandbox, the view the judge reads the vendor through,
 * and its function instances — redeployed with another retry window between phases, as a config
 * change is deployed.
 */
final class Deployment implements AutoCloseable {
    /** The queue's receive backstop: far behind every retry window of the run, so that only the window ends retries. */
    static final int MAX_RECEIVE_COUNT = 150;

    static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(6);
    /** At least the function timeout, as Lambda requires of an event source's queue. */
    static final int VISIBILITY_TIMEOUT_SECONDS = 7;
    /** A freeze outlasts the function timeout: every lease the frozen instance holds runs out. */
    static final Duration FREEZE = Duration.ofSeconds(8);
    /** A timeout fault holds the answer past the vendor call's timeout (the harness sets 2 s). */
    static final Duration TIMEOUT_FAULT = Duration.ofSeconds(3);

    private static final List<RandomFaults.Kind> OUTAGE =
            List.of(RandomFaults.Kind.SERVER_ERROR, RandomFaults.Kind.CONNECTION_RESET);

    final String integration;
    final VendorSandbox<?> sandbox;
    final IntegrationHarness harness;
    final VendorView view;
    /** The fault kinds this integration must see in a run (the others do not apply to it). */
    final Set<FaultKind> expectedFaults;

    final Tickets tickets = new Tickets();
    /**
     * The requests random faults strike: all, but for Slack its posts (the calls whose outcome matters: a message or
     * none).
     */
    private final String faultedPath;

    final AtomicInteger deletedByHand = new AtomicInteger();
    private final Map<RandomFaults.Kind, Long> randomInjected = new EnumMap<>(RandomFaults.Kind.class);
    private long scriptedBeforeWork;
    private long scriptedAfterWork;
    private long shortOutageRefusals;
    private long longOutageRefusals;
    private int crashes;
    private RandomFaults current;
    private FaultKind currentOutage; // null: the faults in force are no outage
    private FunctionInstances instances;

    private Deployment(
            LocalIntegration<?> local,
            IntegrationHarness harness,
            VendorView view,
            Set<FaultKind> specific,
            String faultedPath) {
        this.integration = local.name();
        this.faultedPath = faultedPath;
        this.sandbox = local.sandbox();
        this.harness = harness;
        this.view = view;
        Set<FaultKind> expected = EnumSet.of(
                FaultKind.DUPLICATE,
                FaultKind.OUT_OF_ORDER,
                FaultKind.CASE_ONLY_ID_PAIR,
                FaultKind.MALFORMED,
                FaultKind.SCHEMA_INVALID,
                FaultKind.VENDOR_5XX,
                FaultKind.VENDOR_5XX_BEFORE_WORK,
                FaultKind.VENDOR_5XX_AFTER_WORK,
                FaultKind.RATE_LIMITED_WITH_RETRY_AFTER,
                FaultKind.RATE_LIMITED_WITHOUT_RETRY_AFTER,
                FaultKind.TIMEOUT,
                FaultKind.CONNECTION_RESET,
                FaultKind.CRASH_BEFORE_COMMIT,
                FaultKind.FROZEN_STRAGGLER,
                FaultKind.SHORT_OUTAGE,
                FaultKind.LONG_OUTAGE);
        expected.addAll(specific);
        this.expectedFaults = Set.copyOf(expected);
    }

    static List<Deployment> all(AwsEnvironment aws, Workload workload) {
        return List.of(billing(aws, workload), marketing(aws), helpdesk(aws), notifications(aws));
    }

    private static Deployment billing(AwsEnvironment aws, Workload workload) {
        LocalIntegration<StripeSandbox> billing = LocalIntegrations.billing();
        Map<String, Integer> deals = new HashMap<>();
        workload.records.stream()
                .filter(r -> r.object().equals("deal"))
                .forEach(r -> deals.put(r.recordId(), r.index()));
        return new Deployment(
                billing,
                deploy(aws, billing),
                new StripeView(billing.sandbox(), deals),
                Set.of(
                        FaultKind.BURST,
                        FaultKind.SEVERAL_CLOSES_PER_DEAL,
                        FaultKind.DELETED_BY_HAND,
                        FaultKind.STORED_5XX_REPLAYED),
                ".*");
    }

    private static Deployment marketing(AwsEnvironment aws) {
        LocalIntegration<MailchimpSandbox> marketing = LocalIntegrations.marketing();
        return new Deployment(
                marketing,
                deploy(aws, marketing),
                new MailchimpView(marketing.sandbox()),
                Set.of(FaultKind.BURST, FaultKind.EMAIL_CHANGE, FaultKind.DELETE, FaultKind.RE_CREATE),
                ".*");
    }

    private static Deployment helpdesk(AwsEnvironment aws) {
        LocalIntegration<ZendeskSandbox> helpdesk = LocalIntegrations.helpdesk();
        // Zendesk's per-user write window (a minute) on the run's shortened clock, as the retry window is shortened
        helpdesk.sandbox().userWriteLimit(ZendeskSandbox.DEFAULT_USER_WRITES, Duration.ofSeconds(10));
        return new Deployment(
                helpdesk,
                deploy(aws, helpdesk),
                new ZendeskView(helpdesk.sandbox()),
                Set.of(
                        FaultKind.BURST,
                        FaultKind.EMAIL_CHANGE,
                        FaultKind.DELETE,
                        FaultKind.RE_CREATE,
                        FaultKind.DELETED_BY_HAND),
                ".*");
    }

    private static Deployment notifications(AwsEnvironment aws) {
        LocalIntegration<SlackSandbox> notifications = LocalIntegrations.notifications();
        return new Deployment(
                notifications,
                deploy(aws, notifications),
                new SlackView(notifications.sandbox(), notifications.option(EnvVar.CRM_SYNC_OPTION_CHANNEL)),
                Set.of(FaultKind.SEVERAL_CLOSES_PER_DEAL, FaultKind.POST_SUCCEEDED_WITH_ERROR),
                "/api/chat\\.postMessage");
    }

    private static IntegrationHarness deploy(AwsEnvironment aws, LocalIntegration<?> integration) {
        return integration.deploy(aws, MAX_RECEIVE_COUNT, VISIBILITY_TIMEOUT_SECONDS);
    }

    /** (Re)deploys the function with this retry window and starts {@code count} instances. */
    void deploy(Duration retryWindow, int count) {
        stopInstances();
        harness.environment.put("CRM_SYNC_RETRY_WINDOW_SECONDS", Long.toString(retryWindow.toSeconds()));
        instances = new FunctionInstances(harness, harness.config(), count, FUNCTION_TIMEOUT, FREEZE, tickets);
    }

    /**
     * Random vendor faults from now on: each request on {@link #faultedPath} struck with
     * {@code probability} by any kind.
     */
    void randomFaults(long seed, double probability) {
        faults(
                new RandomFaults(
                        seed, probability, "*", faultedPath, List.of(RandomFaults.Kind.values()), TIMEOUT_FAULT),
                null);
    }

    /**
     * Stripe only: the first invoice items fail inside Stripe, before and after the work, so that
     * Stripe stores the 5xx under the item's idempotency key — and the deals closed several times
     * come back with other names and amounts while it is stored.
     */
    void storedFailuresOnTheActions() {
        if (sandbox instanceof StripeSandbox stripe) {
            stripe.failAfterStartNext("POST", "/v1/invoiceitems", 2, 500);
            stripe.failAfterWorkNext("POST", "/v1/invoiceitems", 1, 500);
            scriptedBeforeWork += 2;
            scriptedAfterWork += 1;
        }
    }

    /** The vendor refuses every request (5xx or a reset connection) until {@link #healthy}. */
    void outage(long seed, FaultKind which) {
        faults(new RandomFaults(seed, 1.0, "*", ".*", OUTAGE, TIMEOUT_FAULT), which);
    }

    void healthy() {
        faults(null, null);
    }

    private synchronized void faults(RandomFaults next, FaultKind outage) {
        if (current != null) {
            long total = current.injected().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            if (currentOutage == FaultKind.SHORT_OUTAGE) {
                shortOutageRefusals += total;
            } else if (currentOutage == FaultKind.LONG_OUTAGE) {
                longOutageRefusals += total;
            } else {
                current.injected().forEach((kind, count) -> randomInjected.merge(kind, count, Long::sum));
            }
        }
        current = next;
        currentOutage = outage;
        sandbox.randomFaults(next);
    }

    /**
     * The faults this integration met, by kind: from the workload it was sent, the sandbox's draws and log, and its
     * instances.
     */
    Map<FaultKind, Long> faultsMet(List<SentEvent> sent, Workload workload) {
        healthy();
        Map<FaultKind, Long> met = new EnumMap<>(FaultKind.class);
        WorkloadFaults.count(sent, workload).forEach(met::put);
        met.put(FaultKind.VENDOR_5XX, randomInjected.getOrDefault(RandomFaults.Kind.SERVER_ERROR, 0L));
        met.put(
                FaultKind.VENDOR_5XX_BEFORE_WORK,
                randomInjected.getOrDefault(RandomFaults.Kind.SERVER_ERROR_AFTER_START, 0L) + scriptedBeforeWork);
        met.put(
                FaultKind.VENDOR_5XX_AFTER_WORK,
                randomInjected.getOrDefault(RandomFaults.Kind.SERVER_ERROR_AFTER_WORK, 0L) + scriptedAfterWork);
        long injected429 = randomInjected.getOrDefault(RandomFaults.Kind.RATE_LIMITED_WITH_RETRY_AFTER, 0L)
                + randomInjected.getOrDefault(RandomFaults.Kind.RATE_LIMITED_WITHOUT_RETRY_AFTER, 0L);
        met.put(
                FaultKind.RATE_LIMITED_WITH_RETRY_AFTER,
                randomInjected.getOrDefault(RandomFaults.Kind.RATE_LIMITED_WITH_RETRY_AFTER, 0L));
        met.put(
                FaultKind.RATE_LIMITED_WITHOUT_RETRY_AFTER,
                randomInjected.getOrDefault(RandomFaults.Kind.RATE_LIMITED_WITHOUT_RETRY_AFTER, 0L));
        met.put(FaultKind.TIMEOUT, randomInjected.getOrDefault(RandomFaults.Kind.TIMEOUT, 0L));
        met.put(FaultKind.CONNECTION_RESET, randomInjected.getOrDefault(RandomFaults.Kind.CONNECTION_RESET, 0L));
        List<RecordedCall> calls = sandbox.calls();
        met.put(
                FaultKind.VENDOR_RATE_LIMIT,
                Math.max(0, calls.stream().filter(c -> c.status() == 429).count() - injected429));
        met.put(
                FaultKind.STORED_5XX_REPLAYED,
                calls.stream().filter(c -> c.replayed() && c.status() >= 500).count());
        met.put(
                FaultKind.POST_SUCCEEDED_WITH_ERROR,
                calls.stream()
                        .filter(c -> c.path().equals("/api/chat.postMessage") && c.executed() && c.status() >= 500)
                        .count());
        met.put(FaultKind.DELETED_BY_HAND, (long) deletedByHand.get());
        met.put(FaultKind.CRASH_BEFORE_COMMIT, (long) crashes + (instances == null ? 0 : instances.crashes.get()));
        met.put(FaultKind.FROZEN_STRAGGLER, (long) tickets.freezesTaken());
        met.put(FaultKind.SHORT_OUTAGE, shortOutageRefusals);
        met.put(FaultKind.LONG_OUTAGE, longOutageRefusals);
        return met;
    }

    int instanceCount() {
        return instances == null ? 0 : instances.size();
    }

    private void stopInstances() {
        if (instances != null) {
            instances.close();
            crashes += instances.crashes.get();
            instances = null;
        }
    }

    @Override
    public void close() {
        try {
            stopInstances();
        } finally {
            sandbox.close();
        }
    }
}
