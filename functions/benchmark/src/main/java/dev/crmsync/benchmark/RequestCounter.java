package dev.crmsync.benchmark;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;

/**
 * Counts every request a function's AWS clients send, by {@link AwsRequestKind}, added to the
 * clients through {@code AwsClients.fromEnvironment(interceptors)}. Besides requests it counts what
 * the bill is priced by where that differs: the items a {@code BatchGetItem} reads (one read unit
 * each, items being under 4 KB) and the entries a {@code PutEvents} publishes (one event each).
 */
final class RequestCounter implements ExecutionInterceptor {
    private final AtomicLongArray requests = new AtomicLongArray(AwsRequestKind.values().length);
    private final AtomicLongArray billedUnits = new AtomicLongArray(AwsRequestKind.values().length);

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        AwsRequestKind kind = AwsRequestKind.of(
                attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        requests.incrementAndGet(kind.ordinal());
        long units = 1;
        if (context.request() instanceof BatchGetItemRequest batch) {
            units = batch.requestItems().values().stream()
                    .mapToLong(k -> k.keys().size())
                    .sum();
        } else if (context.request() instanceof PutEventsRequest put) {
            units = put.entries().size();
        }
        billedUnits.addAndGet(kind.ordinal(), units);
    }

    /** The counts so far; {@link Counts#minus} gives those of a phase. */
    Counts snapshot() {
        Map<AwsRequestKind, Long> byKind = new EnumMap<>(AwsRequestKind.class);
        Map<AwsRequestKind, Long> units = new EnumMap<>(AwsRequestKind.class);
        for (AwsRequestKind kind : AwsRequestKind.values()) {
            byKind.put(kind, requests.get(kind.ordinal()));
            units.put(kind, billedUnits.get(kind.ordinal()));
        }
        return new Counts(byKind, units);
    }

    /** Requests and billed units by kind. */
    record Counts(Map<AwsRequestKind, Long> requests, Map<AwsRequestKind, Long> units) {
        Counts minus(Counts earlier) {
            Map<AwsRequestKind, Long> r = new EnumMap<>(AwsRequestKind.class);
            Map<AwsRequestKind, Long> u = new EnumMap<>(AwsRequestKind.class);
            for (AwsRequestKind kind : AwsRequestKind.values()) {
                r.put(kind, requests.get(kind) - earlier.requests.get(kind));
                u.put(kind, units.get(kind) - earlier.units.get(kind));
            }
            return new Counts(r, u);
        }

        double requestsPer(AwsRequestKind kind, int records) {
            return records == 0 ? 0 : requests.get(kind) / (double) records;
        }

        double unitsPer(AwsRequestKind kind, int records) {
            return records == 0 ? 0 : units.get(kind) / (double) records;
        }
    }
}
