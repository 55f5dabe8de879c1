package dev.crmsync.faultrun;

import dev.crmsync.harness.SampleEvents;
import dev.crmsync.testkit.LocalAws;

/**
 * {@code bench/faults [--events N] [--seed S] [--out FILE]}: runs the fault run on loopback, writes
 * RELIABILITY.md (by default at the repository root) and exits 1 when an invariant was broken.
 */
public final class FaultRunMain {
    private FaultRunMain() {}

    public static void main(String[] args) throws Exception {
        RunSettings settings = RunSettings.parse(
                args, SampleEvents.samples().getParent().getParent().resolve("RELIABILITY.md"));
        FaultRun.Result result = new FaultRun(settings, LocalAws.get()).run();
        ReliabilityReport.write(result);
        System.out.println(ReliabilityReport.render(result));
        System.out.println("wrote " + settings.out());
        // the local servers stop with the JVM (their shutdown hooks)
        System.exit(result.brokenInvariants() == 0 ? 0 : 1);
    }
}
