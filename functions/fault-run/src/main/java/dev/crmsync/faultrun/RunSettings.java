package dev.crmsync.faultrun;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a fault run is sized and timed. The clock is shortened: the retry windows are seconds instead
 * of hours, the backoffs 1 to 4 s (the harness's), so a run ends in minutes.
 *
 * @param events            about how many CRM events to send
 * @param seed              the seed of the workload and of every fault draw
 * @param out               where RELIABILITY.md goes
 * @param instances         function instances per integration (Lambda's concurrent invocations)
 * @param mainWindow        the retry window while the workload and the short outage run
 * @param outageWindow      the retry window the function is redeployed with for the long outage (the redrive runs on
 * the main window again)
 * @param vendorFaults      the chance that a vendor request is struck by a random fault in the main phase
 * @param command           the command line, for the report
 */
record RunSettings(
        int events,
        long seed,
        Path out,
        int instances,
        Duration mainWindow,
        Duration outageWindow,
        double vendorFaults,
        String command) {

    /** An outage well inside the main window: nothing of it may reach a DLQ. */
    Duration shortOutage() {
        return mainWindow.dividedBy(4);
    }

    /**
     * An outage past the shortened window, its last backoff and a function timeout: everything sent in it must reach
     * the DLQ.
     */
    Duration longOutage() {
        return outageWindow.plus(Deployment.FUNCTION_TIMEOUT).plusSeconds(8);
    }

    /** Crashes and freezes each integration is handed over the main phase. */
    int mishapsPerIntegration() {
        return Math.max(1, events / 4000);
    }

    static RunSettings parse(String[] args, Path defaultOut) {
        int events = 2000;
        long seed = 17;
        Path out = defaultOut;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]).toAbsolutePath();
                default ->
                    throw new IllegalArgumentException(
                            "usage: bench/faults [--events N] [--seed S] [--out FILE]; unknown " + args[i]);
            }
        }
        if (events < 100 || events > 200_000) {
            throw new IllegalArgumentException("--events must be between 100 and 200000");
        }
        String command = "bench/faults --events " + events + " --seed " + seed;
        return new RunSettings(events, seed, out, 4, Duration.ofSeconds(60), Duration.ofSeconds(20), 0.08, command);
    }
}
