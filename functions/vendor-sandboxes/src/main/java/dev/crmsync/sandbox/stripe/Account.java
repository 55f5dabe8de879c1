package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.StripeParams.allow;
import static dev.crmsync.sandbox.stripe.StripeReplies.bytes;
import static dev.crmsync.sandbox.stripe.StripeReplies.errorBody;
import static dev.crmsync.sandbox.stripe.StripeReplies.errorReply;
import static dev.crmsync.sandbox.stripe.StripeReplies.reply;
import static dev.crmsync.sandbox.stripe.StripeReplies.serverError;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.EndpointFailure;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Stripe account behind the sandbox: its objects and idempotency records, what Stripe checks
 * before its endpoints with the idempotency layer ({@link #serve}), and the routing to the
 * endpoints ({@link CustomerEndpoints}, {@link SearchEndpoints}, {@link InvoiceEndpoints}, {@link
 * InvoiceItemEndpoints}), which run with {@link #lock} held.
 */
final class Account {
    private static final Pattern CUSTOMER_PATH = Pattern.compile("^/v1/customers/([^/]+)$");
    private static final Pattern INVOICE_PATH = Pattern.compile("^/v1/invoices/([^/]+)$");
    private static final Pattern FINALIZE_PATH = Pattern.compile("^/v1/invoices/([^/]+)/finalize$");
    private static final Pattern ITEM_PATH = Pattern.compile("^/v1/invoiceitems/([^/]+)$");
    private static final Pattern API_VERSION = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?$");

    final Object lock = new Object();
    final Map<String, Customer> customers = new LinkedHashMap<>(); // guarded by lock
    final Map<String, Invoice> invoices = new LinkedHashMap<>(); // guarded by lock
    final Map<String, ObjectNode> items = new LinkedHashMap<>(); // guarded by lock
    final Map<String, IdempotencyRecord> idempotency = new HashMap<>(); // guarded by lock
    volatile Duration searchLag = Duration.ZERO;

    final CustomerEndpoints customerEndpoints = new CustomerEndpoints(this);
    final SearchEndpoints searchEndpoints = new SearchEndpoints(this);
    final InvoiceEndpoints invoiceEndpoints = new InvoiceEndpoints(this);
    final InvoiceItemEndpoints itemEndpoints = new InvoiceItemEndpoints(this);

    void reset() {
        synchronized (lock) {
            customers.clear();
            invoices.clear();
            items.clear();
            idempotency.clear();
            searchLag = Duration.ZERO;
        }
    }

    /**
     * What Stripe checks before its endpoints (version, content type, parameters), then the
     * endpoint: through the idempotency records for a POST with a key, else {@code endpoint}. Refusals
     * before the endpoint leave the latency to the base, which spends it after the answer.
     */
    SandboxReply serve(SandboxRequest req, EndpointFailure failure, Supplier<SandboxReply> endpoint) {
        String method = req.method();
        String path = req.path();
        Map<String, String> params = req.params();
        String key = req.header("Idempotency-Key");
        if (key != null && key.isEmpty()) {
            key = null;
        }
        String version = req.header("Stripe-Version");
        if (version != null && !API_VERSION.matcher(version).matches()) {
            return errorReply(
                    400, "invalid_request_error", null, null, "Invalid Stripe API version: " + version, req, key);
        }
        if ("POST".equals(method) && !req.body().isEmpty() && !req.isForm()) {
            return errorReply(
                    400,
                    "invalid_request_error",
                    null,
                    null,
                    "Invalid request: unsupported Content-Type " + req.contentType()
                            + ". If error persists and you need assistance, please contact support@stripe.com.",
                    req,
                    key);
        }
        if (req.malformed() != null) {
            return errorReply(400, "invalid_request_error", null, null, req.malformed(), req, key);
        }
        if (!"POST".equals(method) || key == null) {
            req.awaitLatency(); // before the endpoint runs: the object appears once the wait is over
            return StripeSandbox.runEndpointUnder(failure, endpoint, status -> {
                Outcome o = serverError(status);
                return reply(o.status(), o.body(), req, null, version, null);
            });
        }
        if (key.length() > 255) {
            return errorReply(
                    400,
                    "invalid_request_error",
                    null,
                    null,
                    "Idempotency-Key is too long: it can be at most 255 characters, but you passed " + key.length()
                            + ".",
                    req,
                    key);
        }

        // https://docs.stripe.com/api/idempotent_requests: for API v1 Stripe saves the status and body
        // of the first request with a key once the endpoint has begun executing, 500s included, and
        // replays them; it compares the parameters of later requests with the key to the first's and
        // errors (400 idempotency_error) when they differ.
        String fingerprint = method + " " + path + " " + new TreeMap<>(params);
        IdempotencyRecord mine = null;
        SandboxReply early;
        synchronized (lock) {
            IdempotencyRecord existing = idempotency.get(key);
            if (existing == null) {
                mine = new IdempotencyRecord(method, path, fingerprint);
                idempotency.put(key, mine);
                early = null;
            } else if (!existing.done) {
                early = errorReply(
                                409,
                                "idempotency_error",
                                "idempotency_key_in_use",
                                null,
                                "There is currently another in-progress request using this Idempotent Key (that "
                                        + "probably means"
                                        + " you submitted twice, and the other request is still going through): " + key
                                        + ". Please try again later.",
                                req,
                                key)
                        .withHeader("Stripe-Should-Retry", "true");
            } else if (!existing.method.equals(method) || !existing.path.equals(path)) {
                early = errorReply(
                        400,
                        "idempotency_error",
                        null,
                        null,
                        "Keys for idempotent requests can only be used for the same endpoint they were first used "
                                + "for ('"
                                + existing.method + " " + existing.path + "' vs '" + method + " " + path
                                + "'). Try using a key other than '" + key
                                + "' if you meant to execute a different request.",
                        req,
                        key);
            } else if (!existing.fingerprint.equals(fingerprint)) {
                early = errorReply(
                        400,
                        "idempotency_error",
                        null,
                        null,
                        "Keys for idempotent requests can only be used with the same parameters they were first used "
                                + "with."
                                + " Try using a key other than '" + key
                                + "' if you meant to execute a different request.",
                        req,
                        key);
            } else {
                early = reply(existing.status, existing.body, req, key, version, existing.requestId)
                        .asReplay();
            }
        }
        // Latency is spent while the key is held: a concurrent same-key request then sees 409.
        req.awaitLatency();
        if (early != null) {
            return early;
        }
        Outcome o;
        try {
            o = StripeSandbox.runEndpointUnder(
                    failure, () -> execute(method, path, params), StripeReplies::serverError);
        } catch (RuntimeException e) {
            synchronized (lock) {
                idempotency.remove(key, mine);
            }
            throw e;
        }
        synchronized (lock) {
            if (idempotency.get(key) == mine) {
                if (o.saved()) {
                    mine.done = true;
                    mine.status = o.status();
                    mine.body = o.body();
                    mine.requestId = "req_" + req.id();
                } else {
                    idempotency.remove(key);
                }
            }
        }
        return reply(o.status(), o.body(), req, key, version, null);
    }

    /** Runs an endpoint with {@link #lock} held; a Stripe error becomes its answer. */
    Outcome execute(String method, String path, Map<String, String> params) {
        try {
            ObjectNode body;
            synchronized (lock) {
                body = route(method, path, params);
            }
            return new Outcome(200, bytes(body), true);
        } catch (ApiError e) {
            return new Outcome(e.status, bytes(errorBody(e.type, e.code, e.param, e.getMessage())), e.saved);
        }
    }

    private ObjectNode route(String method, String path, Map<String, String> params) {
        Matcher m;
        if ("POST".equals(method)) {
            if (path.equals("/v1/customers")) {
                return customerEndpoints.createCustomer(params);
            }
            if ((m = CUSTOMER_PATH.matcher(path)).matches() && !m.group(1).equals("search")) {
                return customerEndpoints.updateCustomer(m.group(1), params);
            }
            if (path.equals("/v1/invoices")) {
                return invoiceEndpoints.createInvoice(params);
            }
            if ((m = FINALIZE_PATH.matcher(path)).matches()) {
                return invoiceEndpoints.finalizeInvoice(m.group(1), params);
            }
            if (path.equals("/v1/invoiceitems")) {
                return itemEndpoints.createInvoiceItem(params);
            }
        } else if ("DELETE".equals(method)) {
            if ((m = CUSTOMER_PATH.matcher(path)).matches()) {
                allow(params, Set.of(), Set.of());
                customer(m.group(1), "id");
                return customerEndpoints.deleteCustomer(m.group(1));
            }
        } else if ("GET".equals(method)) {
            if (path.equals("/v1/customers")) {
                return customerEndpoints.listCustomers(params);
            }
            if (path.equals("/v1/customers/search")) {
                return searchEndpoints.searchCustomers(params);
            }
            if ((m = CUSTOMER_PATH.matcher(path)).matches()) {
                return customerEndpoints.retrieveCustomer(m.group(1), params);
            }
            if (path.equals("/v1/invoices/search")) {
                return searchEndpoints.searchInvoices(params);
            }
            if ((m = INVOICE_PATH.matcher(path)).matches()) {
                return invoiceEndpoints.retrieveInvoice(m.group(1), params);
            }
            if ((m = ITEM_PATH.matcher(path)).matches()) {
                return itemEndpoints.retrieveInvoiceItem(m.group(1), params);
            }
        }
        throw new ApiError(
                404,
                "invalid_request_error",
                null,
                null,
                "Unrecognized request URL (" + method + ": " + path
                        + "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
                false);
    }

    /** A live customer; a deleted one is missing for every write that names it. */
    Customer customer(String id, String param) {
        Customer c = customers.get(id);
        if (c == null || c.deleted) {
            throw ApiError.missing("customer", id, param);
        }
        return c;
    }
}
