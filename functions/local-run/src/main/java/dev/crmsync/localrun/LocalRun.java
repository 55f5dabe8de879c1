package dev.crmsync.localrun;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.infra.Catalog;
import dev.crmsync.infra.Integration;
import dev.crmsync.infra.RulePattern;
import dev.crmsync.testkit.LocalAws;
import dev.crmsync.testkit.LocalEventBridge;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local run: every integration of the catalog on this machine, with no AWS account and no Docker. Starts
 * dynalite, ElasticMQ, a Secrets Manager and an EventBridge endpoint and the four vendor sandboxes on 127.0.0.1;
 * deploys the table, each entry's queue and DLQ and secret ({@link DeployedIntegration}); routes each event with the
 * stack's rule patterns ({@link EventRouter}); runs the four pipelines as the event source mapping does until the
 * queues are empty; prints a summary ({@link RunSummary}) and exits 0 when every event ended where it must.
 *
 * <p>Run: {@code local/run [--generate N] [--json FILE] [--verbose] [--keep] [event.json | folder ...]}
 * ({@link RunOptions#USAGE}).
 */
public final class LocalRun {
    /** The stage in the resources' names, as {@code cdk deploy -c stage=…} would name them. */
    static final String STAGE = "local";

    private static final Duration TICK = Duration.ofMillis(250);

    private final RunOptions options;
    private final PrintStream screen;
    private final boolean terminal;
    private final String stage;
    private final String table;
    private final String eventBus;
    private final List<DeployedIntegration> deployed = new CopyOnWriteArrayList<>();
    private final List<SentMessage> sent = new CopyOnWriteArrayList<>();

    /** @param stage names the run's resources: runs of distinct stages share the local servers, nothing else */
    LocalRun(RunOptions options, PrintStream screen, boolean terminal, String stage) {
        this.options = options;
        this.screen = screen;
        this.terminal = terminal;
        this.stage = stage;
        this.table = "crm-sync-" + stage + "-state";
        this.eventBus = "crm-sync-" + stage;
    }

    public static void main(String[] args) {
        ExitingMain.runAndExit(() -> fromCommandLine(args));
    }

    /** The run of this command line; its exit status (2 for bad arguments). */
    static int fromCommandLine(String... args) throws IOException, InterruptedException {
        if (RunOptions.asksForHelp(args)) {
            System.out.println(RunOptions.USAGE);
            return 0;
        }
        RunOptions options;
        try {
            options = RunOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("local/run: " + e.getMessage());
            System.err.println(RunOptions.USAGE);
            return 2;
        }
        PrintStream screen = System.out;
        FunctionLog log = FunctionLog.open(options.log(), options.verbose());
        try {
            ObjectNode summary = new LocalRun(options, screen, Terminal.isInteractive(), STAGE).run();
            return summary.path("ok").asBoolean() ? 0 : 1;
        } finally {
            log.close();
        }
    }

    /** Runs the events through the catalog and returns the summary (printed, and written with --json). */
    ObjectNode run() throws IOException, InterruptedException {
        List<InputEvent> events = options.generate() > 0
                ? ChangeGenerator.generate(options.generate(), options.seed())
                : Inputs.read(options.inputs());
        screen.println("== function log lines go to " + options.log().toAbsolutePath());
        screen.println("== starting dynalite, ElasticMQ, Secrets Manager, EventBridge and the vendor sandboxes");
        Thread stopAll = new Thread(this::stop, "local-run-stop");
        Runtime.getRuntime().addShutdownHook(stopAll);
        LocalAws aws = LocalAws.get();
        LocalEventBridge bus = LocalEventBridge.shared();
        aws.createStateTable(table);
        for (Integration entry : Catalog.INTEGRATIONS) {
            deployed.add(new DeployedIntegration(entry, LocalIntegrations.of(id(entry)), aws, stage, table, eventBus));
        }
        deployed.forEach(DeployedIntegration::start);

        EventRouter router = new EventRouter(Catalog.INTEGRATIONS, RulePattern.DEFAULT_CRM_SOURCE);
        Map<InputEvent, List<String>> routes = new LinkedHashMap<>();
        screen.println("== " + events.size() + " event(s) to the bus; the functions consume their queues");
        Progress progress = new Progress(screen, terminal);
        for (InputEvent event : events) {
            List<String> routed = router.route(event.body());
            routes.put(event, routed);
            for (String name : routed) {
                send(event, deployment(name));
            }
        }
        awaitEmptyQueues(progress, bus);
        deployed.forEach(DeployedIntegration::close);

        ObjectNode summary =
                RunSummary.build(deployed, events, routes, sent, bus.entries(eventBus), aws.dynamo(), table);
        SummaryText.print(summary, screen);
        if (options.json().isPresent()) {
            Path json = options.json().get().toAbsolutePath();
            Files.createDirectories(json.getParent());
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), summary);
            screen.println("== summary as JSON: " + json);
        }
        if (options.keep()) {
            KeptServers.show(screen, aws, bus, deployed, table);
            KeptServers.awaitEnter();
        }
        return summary;
    }

    private void send(InputEvent event, DeployedIntegration integration) {
        String messageId = integration
                .harness
                .aws
                .sqs()
                .sendMessage(
                        b -> b.queueUrl(integration.harness.queues.queueUrl()).messageBody(event.body()))
                .messageId();
        sent.add(new SentMessage(event, integration.entry.name(), messageId, EventIds.of(event.body())));
    }

    /** Until every queue is empty, visible or in flight, twice in a row — or the run's timeout. */
    private void awaitEmptyQueues(Progress progress, LocalEventBridge bus) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(options.timeoutSeconds());
        int emptyTicks = 0;
        while (emptyTicks < 2 && Instant.now().isBefore(until)) {
            Thread.sleep(TICK);
            progress.show(deployed, sent, bus.entries(eventBus));
            boolean empty = deployed.stream().allMatch(d -> d.waiting() == 0);
            emptyTicks = empty ? emptyTicks + 1 : 0;
        }
        progress.show(deployed, sent, bus.entries(eventBus));
        if (emptyTicks < 2) {
            screen.println("== the queues did not empty within " + options.timeoutSeconds() + " s (--timeout)");
        }
    }

    private DeployedIntegration deployment(String name) {
        return deployed.stream()
                .filter(d -> d.entry.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("a rule routed to " + name + ", which is not deployed"));
    }

    private static IntegrationId id(Integration entry) {
        for (IntegrationId id : IntegrationId.values()) {
            if (id.wireName().equals(entry.name())) {
                return id;
            }
        }
        throw new IllegalStateException("the catalog entry " + entry.name() + " has no local deployment");
    }

    /** Stops the function instances and the vendor sandboxes (the local AWS servers stop with their own hooks). */
    private void stop() {
        List<DeployedIntegration> all = new ArrayList<>(deployed);
        for (DeployedIntegration integration : all) {
            integration.close();
            integration.local.sandbox().close();
        }
    }
}
