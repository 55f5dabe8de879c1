package dev.crmsync.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Request;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request as a vendor sandbox sees it, parsed once on arrival: method (upper case), path and
 * raw query apart, the query and form parameters decoded and flattened ({@link #params()}), a JSON
 * body parsed ({@link #json()}), and the latency the sandbox had set when it arrived.
 */
public final class SandboxRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Request request;
    private final String method;
    private final String path;
    private final String query;
    private final String body;
    private final Map<String, String> params;
    private final JsonNode json;
    private final String malformed;
    private final String id;
    private final Instant at;
    private final Duration latency;
    private boolean latencySpent;

    SandboxRequest(Request request, String id, Instant at, Duration latency) {
        this.request = request;
        this.id = id;
        this.at = at;
        this.latency = latency;
        this.method = request.getMethod().getName().toUpperCase(Locale.ROOT);
        String url = request.getUrl();
        int q = url.indexOf('?');
        this.path = q < 0 ? url : url.substring(0, q);
        this.query = q < 0 ? "" : url.substring(q + 1);
        this.body = request.getBody() == null ? "" : new String(request.getBody(), StandardCharsets.UTF_8);

        Map<String, String> p = new LinkedHashMap<>();
        JsonNode parsed = null;
        String problem = null;
        try {
            p.putAll(decodeForm(query));
            if (isForm() && !body.isEmpty()) {
                p.putAll(decodeForm(body));
            }
        } catch (IllegalArgumentException e) {
            p.clear();
            problem = "Invalid request: could not decode the parameters (" + e.getMessage() + ")";
        }
        if (problem == null && isJson() && !body.isBlank()) {
            try {
                parsed = JSON.readTree(body);
            } catch (IOException e) {
                problem = "Invalid request: the body is not valid JSON (" + e.getMessage() + ")";
            }
        }
        this.params = Collections.unmodifiableMap(p);
        this.json = parsed;
        this.malformed = problem;
    }

    public String method() {
        return method;
    }

    /** The path without the query. */
    public String path() {
        return path;
    }

    /** The raw query string ("" when none). */
    public String query() {
        return query;
    }

    /** The header's value, or null when the request has no such header (names are case-insensitive). */
    public String header(String name) {
        return request.containsHeader(name) ? request.getHeader(name) : null;
    }

    public String contentType() {
        return header("Content-Type");
    }

    /** The body as UTF-8 text ("" when none). */
    public String body() {
        return body;
    }

    /**
     * Query parameters, then form parameters of an {@code application/x-www-form-urlencoded} body,
     * decoded; {@code a[]} keys become {@code a[0]}, {@code a[1]}, ... (the bracket notation Stripe
     * and most form APIs use). Empty when they could not be decoded (see {@link #malformed()}).
     */
    public Map<String, String> params() {
        return params;
    }

    /** The parsed body when it is JSON ({@code application/json} or {@code …+json}), else null. */
    public JsonNode json() {
        return json;
    }

    /** Why the parameters or the JSON body could not be parsed, or null when they could. */
    public String malformed() {
        return malformed;
    }

    /** A random id of this request (14 letters and digits) for the vendor's own request-id header. */
    public String id() {
        return id;
    }

    /** When the request arrived. */
    public Instant at() {
        return at;
    }

    public boolean isForm() {
        String ct = contentType();
        return ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    public boolean isJson() {
        String ct = contentType();
        if (ct == null) {
            return false;
        }
        String mime = ct.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return mime.equals("application/json") || mime.endsWith("+json");
    }

    /**
     * Spends the sandbox's latency ({@link VendorSandbox#setLatency}) now, once per request. The
     * sandbox spends it after the answer if the vendor did not earlier; a vendor calls this itself
     * where the wait must fall, e.g. while an idempotency key is held.
     */
    public void awaitLatency() {
        synchronized (this) {
            if (latencySpent) {
                return;
            }
            latencySpent = true;
        }
        long ms = latency.toMillis();
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Decodes a form or query string; {@code a[]} keys become {@code a[0]}, {@code a[1]}, ... */
    public static Map<String, String> decodeForm(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        Map<String, Integer> arrayIndex = new HashMap<>();
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (k.isEmpty()) {
                continue;
            }
            if (k.endsWith("[]")) {
                String prefix = k.substring(0, k.length() - 2);
                int i = arrayIndex.merge(prefix, 1, Integer::sum) - 1;
                k = prefix + "[" + i + "]";
            }
            out.put(k, v);
        }
        return out;
    }
}
