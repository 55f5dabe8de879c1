package dev.crmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * One request as a sandbox received it and what it answered, for tests to assert on.
 *
 * @param method upper case
 * @param path without the query
 * @param query the raw query string ("" when none)
 * @param headers the headers the vendor records ({@link VendorSandbox#recordedHeaders}), by the
 *     recorded name; never credentials
 * @param params query and form parameters, decoded and flattened ({@link SandboxRequest#params()})
 * @param body the parsed JSON body, or null when the body is not JSON
 * @param status the HTTP status sent, 0 when the connection was reset
 * @param replayed the answer repeated an earlier one (an idempotent replay)
 * @param at the arrival time
 * @param executed the endpoint ran: no fault answered at the edge, the key was accepted, no fault
 *     struck inside the endpoint before its work (a fault after the work leaves this true) — so a
 *     2xx, or a 5xx after the work, changed the vendor's state unless {@code replayed}
 */
public record RecordedCall(
        String method,
        String path,
        String query,
        Map<String, String> headers,
        Map<String, String> params,
        JsonNode body,
        int status,
        boolean replayed,
        Instant at,
        boolean executed) {

    /** A call whose endpoint ran (see {@code executed}). */
    public RecordedCall(
            String method,
            String path,
            String query,
            Map<String, String> headers,
            Map<String, String> params,
            JsonNode body,
            int status,
            boolean replayed,
            Instant at) {
        this(method, path, query, headers, params, body, status, replayed, at, true);
    }

    /**
     * Whether this call changed the vendor's state: the endpoint ran, the answer is no replay, and it
     * is a success or a 5xx after the work. (A refusal, 4xx, changed nothing.)
     */
    public boolean changedState() {
        return executed && !replayed && (status >= 200 && status < 300 || status >= 500);
    }

    /** The recorded header's value (name case-insensitive), or null when absent or not recorded. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The {@code Idempotency-Key} header, or null when absent or empty. */
    public String idempotencyKey() {
        String key = header("Idempotency-Key");
        return key == null || key.isEmpty() ? null : key;
    }
}
