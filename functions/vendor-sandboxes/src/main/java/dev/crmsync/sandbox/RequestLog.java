package dev.crmsync.sandbox;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The requests a sandbox received, kept in arrival order: a request's place is taken when it
 * arrives ({@link #arrive}), its entry written once it has been answered ({@link #record}), so a
 * slow answer does not move it behind later arrivals.
 */
final class RequestLog {

    private final ConcurrentSkipListMap<Long, RecordedCall> calls = new ConcurrentSkipListMap<>();
    private final AtomicLong arrivals = new AtomicLong();

    /** The place of a request that just arrived. */
    long arrive() {
        return arrivals.incrementAndGet();
    }

    void record(long arrival, RecordedCall call) {
        calls.put(arrival, call);
    }

    List<RecordedCall> all() {
        return List.copyOf(calls.values());
    }

    /** Calls whose method matches ({@code "*"}/null = any) and whose path matches the whole regex. */
    List<RecordedCall> matching(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return calls.values().stream()
                .filter(c -> FaultRule.methodMatches(method, c.method())
                        && p.matcher(c.path()).matches())
                .toList();
    }

    void clear() {
        calls.clear();
    }
}
