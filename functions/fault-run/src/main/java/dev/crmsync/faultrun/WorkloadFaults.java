package dev.crmsync.faultrun;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The workload's faults one integration was sent, counted from the events it got (in send order) and the records'
 * stories.
 */
final class WorkloadFaults {
    private WorkloadFaults() {}

    static Map<FaultKind, Long> count(List<SentEvent> sent, Workload workload) {
        Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
        for (FaultKind kind : List.of(
                FaultKind.DUPLICATE,
                FaultKind.OUT_OF_ORDER,
                FaultKind.DELETE,
                FaultKind.RE_CREATE,
                FaultKind.MALFORMED,
                FaultKind.SCHEMA_INVALID,
                FaultKind.BURST,
                FaultKind.EMAIL_CHANGE,
                FaultKind.CASE_ONLY_ID_PAIR,
                FaultKind.SEVERAL_CLOSES_PER_DEAL)) {
            counts.put(kind, 0L);
        }
        Set<String> seen = new HashSet<>();
        Map<Integer, Long> highestSent = new HashMap<>();
        Map<Integer, Long> firstDelete = new HashMap<>();
        Set<Integer> records = new HashSet<>();
        for (SentEvent event : sent) {
            switch (event.change()) {
                case MALFORMED -> counts.merge(FaultKind.MALFORMED, 1L, Long::sum);
                case SCHEMA_INVALID -> counts.merge(FaultKind.SCHEMA_INVALID, 1L, Long::sum);
                default -> {
                    int record = event.record().index();
                    records.add(record);
                    if (!seen.add(event.eventId())) {
                        counts.merge(FaultKind.DUPLICATE, 1L, Long::sum);
                        continue;
                    }
                    if (highestSent.getOrDefault(record, Long.MIN_VALUE) > event.version()) {
                        counts.merge(FaultKind.OUT_OF_ORDER, 1L, Long::sum);
                    }
                    highestSent.merge(record, event.version(), Math::max);
                    if (event.change() == SentEvent.Change.DELETE) {
                        counts.merge(FaultKind.DELETE, 1L, Long::sum);
                        firstDelete.merge(record, event.version(), Math::min);
                    }
                }
            }
        }
        Set<Integer> recreated = new HashSet<>();
        for (SentEvent event : sent) {
            if (event.change() == SentEvent.Change.UPSERT
                    && event.version() > firstDelete.getOrDefault(event.record().index(), Long.MAX_VALUE)) {
                recreated.add(event.record().index());
            }
        }
        counts.put(FaultKind.RE_CREATE, (long) recreated.size());
        for (FaultKind kind : List.of(
                FaultKind.BURST,
                FaultKind.EMAIL_CHANGE,
                FaultKind.CASE_ONLY_ID_PAIR,
                FaultKind.SEVERAL_CLOSES_PER_DEAL)) {
            Map<Integer, Integer> perRecord = workload.storyFaults.getOrDefault(kind, Map.of());
            counts.put(
                    kind,
                    records.stream()
                            .mapToLong(r -> perRecord.getOrDefault(r, 0))
                            .sum());
        }
        return counts;
    }
}
