package dev.crmsync.benchmark;

import dev.crmsync.contract.IntegrationId;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.testkit.LocalAws;
import dev.crmsync.testkit.LocalEventBridge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark: every integration of the catalog measured on local servers (see {@link Report} for
 * what), priced per million CRM events, written to BENCHMARKS.md. Bounded: a fixed number of records
 * per phase ({@link BenchmarkSize#FULL}, a few minutes in all); it stops every server it started.
 *
 * <p>Run: {@code bench/run [FILE]} (default: BENCHMARKS.md at the repository root).
 */
public final class Benchmark {
    private Benchmark() {}

    public static void main(String[] args) throws Exception {
        Path repository = SampleEvents.samples().getParent().getParent();
        Path output = args.length > 0 ? Path.of(args[0]) : repository.resolve("BENCHMARKS.md");
        String report = run(BenchmarkSize.FULL, repository, "bench/run");
        Files.writeString(output, report);
        System.out.println("wrote " + output);
        System.exit(0); // the local servers' threads would keep the JVM alive; their shutdown hook stops them
    }

    /** Measures every integration at {@code size} and returns the report. */
    static String run(BenchmarkSize size, Path repository, String command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        String date = Instant.now().toString().substring(0, 10);
        LocalAws aws = LocalAws.get();
        pointClientsAt(aws);
        List<IntegrationFigures> figures = new ArrayList<>();
        for (IntegrationId id : IntegrationId.values()) {
            System.out.println("measuring " + id.wireName() + " …");
            figures.add(new IntegrationBenchmark(id, aws, size, repository).measure());
        }
        CostTable cost = new CostTable(SampleMix.read(), figures);
        List<Targets.Check> checks = Targets.check(figures, cost, jvmBaselineMillis());
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        return Report.of(RunFacts.describe(command, date, seconds), figures, cost, checks);
    }

    /**
     * The function's clients are built as on Lambda ({@code AwsClients.fromEnvironment}), with no endpoint
     * in the code: the SDK reads each service's endpoint from these system properties, as it reads
     * {@code AWS_ENDPOINT_URL_<SERVICE>} in a process of its own.
     */
    private static void pointClientsAt(LocalAws aws) {
        System.setProperty("aws.endpointUrlDynamoDb", aws.dynamoEndpoint().toString());
        System.setProperty("aws.endpointUrlSqs", aws.sqsEndpoint().toString());
        System.setProperty(
                "aws.endpointUrlSecretsManager", aws.secretsEndpoint().toString());
        System.setProperty(
                "aws.endpointUrlEventBridge",
                LocalEventBridge.shared().endpoint().toString());
        System.setProperty("aws.region", LocalAws.REGION.id());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    /** How long a JVM takes here to start, print its version and exit: the floor of any start-up figure. */
    private static long jvmBaselineMillis() throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process java = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        java.waitFor(30, TimeUnit.SECONDS);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
