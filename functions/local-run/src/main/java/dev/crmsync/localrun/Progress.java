package dev.crmsync.localrun;

import dev.crmsync.testkit.LocalEventBridge;
import java.io.PrintStream;
import java.util.List;

/**
 * One line per integration while the run goes: routed, applied, skipped, failed (attempts), waiting (in the queue).
 * On a terminal the lines are rewritten in place; otherwise a block of plain lines is printed when a figure changed.
 */
final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private String last = "";
    private int linesShown;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void show(List<DeployedIntegration> deployed, List<SentMessage> sent, List<LocalEventBridge.Entry> outcomes) {
        StringBuilder block = new StringBuilder();
        for (DeployedIntegration integration : deployed) {
            String name = integration.entry.name();
            Outcomes counts = new Outcomes(outcomes, name);
            long routed =
                    sent.stream().filter(s -> s.integration().equals(name)).count();
            block.append(String.format(
                    "  %-14s routed %4d  applied %4d  skipped %4d  failed %4d  waiting %4d%n",
                    name, routed, counts.applied(), counts.skipped(), counts.failed(), integration.waiting()));
        }
        String text = block.toString();
        if (text.equals(last)) {
            return;
        }
        last = text;
        if (terminal && linesShown > 0) {
            out.print("\033[" + linesShown + "F\033[J"); // back to the block's first line, erase below
        }
        out.print(text);
        if (!terminal) {
            out.println();
        }
        out.flush();
        linesShown = deployed.size();
    }
}
