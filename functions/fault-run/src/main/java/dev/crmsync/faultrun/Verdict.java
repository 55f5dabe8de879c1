package dev.crmsync.faultrun;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the judge found for one integration: the counts RELIABILITY.md shows, and the violations by name. */
final class Verdict {
    final String integration;
    private final Set<FaultKind> expectedFaults;
    final Map<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);
    long messagesSent;
    long validEvents;
    long applied;
    long superseded;
    long inDlq;
    long dlqWithoutStatus;
    long duplicatesApplied;
    long lost;
    long staleOverwrites;
    long redrivenApplied;
    long notAppliedAfterRedrive;
    long invalidDeadLettered;
    long invalidNotDeadLettered;
    long shortOutageInDlq;
    long longOutageEvents;
    long longOutageNotInDlq;
    final List<String> violations = new ArrayList<>();

    Verdict(String integration, Set<FaultKind> expectedFaults) {
        this.integration = integration;
        this.expectedFaults = expectedFaults;
    }

    /** The fault kinds that apply to this integration (a run must inject every one). */
    Set<FaultKind> expectedFaults() {
        return expectedFaults;
    }

    /** Every broken promise: zero when the integration kept all three invariants under every fault. */
    long brokenInvariants() {
        return duplicatesApplied
                + lost
                + staleOverwrites
                + dlqWithoutStatus
                + notAppliedAfterRedrive
                + invalidNotDeadLettered
                + shortOutageInDlq
                + longOutageNotInDlq;
    }

    void violation(String what) {
        if (violations.size() < 50) {
            violations.add(what);
        }
    }

    void fault(FaultKind kind, long count) {
        faults.merge(kind, count, Long::sum);
    }
}
