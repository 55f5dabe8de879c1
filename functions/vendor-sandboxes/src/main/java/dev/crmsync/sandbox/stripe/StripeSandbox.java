package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.FlatFields.flatten;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.EndpointFailure;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A local, stateful stand-in for the part of Stripe's API the billing connector uses, on the
 * shared {@link VendorSandbox} (WireMock on 127.0.0.1, request log, fault rules, latency).
 *
 * <p>What it emulates:
 *
 * <ul>
 *   <li>Auth: {@code Authorization: Bearer <key>} (or Basic with the key as user name); only keys
 *       passed to {@link #acceptApiKeys} are valid, otherwise 401 with the key masked as Stripe does
 *       ({@code sk_test_****abcd}).
 *   <li>Form-encoded requests with bracket notation ({@code metadata[crm_id]}, {@code address[line1]},
 *       {@code expand[]}); other content types get 400. Unknown parameters get 400 {@code
 *       parameter_unknown}, like Stripe.
 *   <li>{@code POST /v1/customers}, {@code POST /v1/customers/{id}} (merge; an empty value unsets),
 *       {@code GET /v1/customers/{id}}, {@code GET /v1/customers} (list, {@code email} filter), {@code
 *       GET /v1/customers/search} ({@code field:'value'} clauses joined by {@code AND}, fields {@code
 *       email}, {@code name}, {@code phone}, {@code metadata['key']}; values compared without regard
 *       to case, as at Stripe), {@code POST /v1/invoices}
 *       (a draft; {@code currency} lower-cased, default the customer's or {@code usd}), {@code GET
 *       /v1/invoices/{id}}, {@code POST /v1/invoices/{id}/finalize} (draft → {@code open}, or {@code
 *       paid} when nothing is due, as Stripe does; sets {@code number} = the customer's {@code
 *       invoice_prefix} + {@code -0001}..., {@code status_transitions[finalized_at]}, {@code
 *       hosted_invoice_url}; anything but a draft gets 400), {@code GET /v1/invoices/search} (fields
 *       {@code customer}, {@code status}, {@code number}, {@code currency}, {@code metadata['key']}),
 *       {@code POST /v1/invoiceitems} (only onto a draft invoice of the same customer and currency),
 *       {@code GET /v1/invoiceitems/{id}}, {@code DELETE /v1/customers/{id}} (as in the Dashboard: the
 *       customer then answers {@code GET} with {@code {"id", "object", "deleted": true}}, every
 *       write naming it with 404 {@code resource_missing}, and no list or search shows it). Objects
 *       are Stripe's own examples from {@code stripe/fixtures3.json} (this module's resources) with
 *       the state-dependent fields overwritten.
 *   <li>Idempotency as Stripe documents it for API v1: for a POST with an {@code Idempotency-Key},
 *       the first response (status and body, errors included) is saved once the endpoint has started
 *       executing and replayed (header {@code Idempotent-Replayed: true}) for the same key and the
 *       same method, path and parameters; different parameters or another endpoint give 400 {@code
 *       idempotency_error}; a request arriving while another with the same key is executing gets 409
 *       {@code idempotency_key_in_use}. Validation failures (400 before the endpoint runs) are not
 *       saved, nor are injected faults other than {@link #failAfterStartNext} and {@link
 *       #failAfterWorkNext}, which fail inside the endpoint and so are saved and replayed.
 *   <li>{@code Stripe-Version}: recorded with every call ({@code call.header("Stripe-Version")}) and
 *       echoed; a value that is not a version ({@code YYYY-MM-DD} or {@code YYYY-MM-DD.name}) gets
 *       400, as at Stripe. Without it the sandbox answers as an account whose default is
 *       {@code 2025-08-27.basil} would.
 *   <li>Faults in Stripe's error shape: {@link #failNext} ({@code api_error} for 5xx; {@code
 *       lock_timeout} for 409; {@code rate_limit} for 429), {@link #rateLimitNext} (429 {@code
 *       rate_limit} with {@code Retry-After}), {@link #rejectNext} with a type and a code. {@link
 *       #delayNext}: the request IS executed (and its idempotent result saved) immediately, only the
 *       response is held back — the "Stripe did it but the client timed out" case.
 *   <li>{@link #setLatency} slows every request; for idempotent requests the wait happens while the
 *       key is held, so it widens the window in which a concurrent same-key request gets 409.
 *   <li>{@link #setSearchLag}: search is eventually consistent at Stripe; with a lag, customer and
 *       invoice search only see object versions older than the lag (default: no lag).
 * </ul>
 *
 * <p>{@link #reset()} also forgets objects, idempotency records and the search lag.
 */
public final class StripeSandbox extends VendorSandbox<StripeSandbox> {

    /** The package's one mapper (Stripe's fixtures, the objects it builds, the error bodies). */
    static final ObjectMapper JSON = new ObjectMapper();
    /** Bearer, or Basic with the key as user name, or the bare key, as Stripe accepts. */
    private static final ApiKeyScheme STRIPE_KEYS =
            ApiKeyScheme.bearer().or(ApiKeyScheme.basicUser()).or(ApiKeyScheme.rawAuthorization());

    private final Account account;

    private StripeSandbox() {
        super("stripe");
        Fixtures.load(); // fail fast with a clear message if the fixtures are missing
        this.account = new Account();
    }

    /**
     * The sandbox of this test JVM, started on first use and stopped at exit (starting one per test
     * class costs seconds). Tests {@link #reset()} it before use.
     */
    public static StripeSandbox shared() {
        return shared(StripeSandbox.class, StripeSandbox::start);
    }

    /** Starts a sandbox on 127.0.0.1 with a free port. */
    public static StripeSandbox start() {
        return new StripeSandbox().startServer();
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Creates a customer as a person (or another integration) does in the Dashboard, with the given
     * create parameters (e.g. {@code email}, {@code name}, {@code metadata[plan]}); returns its id.
     * Stripe does not make e-mail addresses unique: the list endpoint's {@code email} filter returns
     * every customer with that exact address (https://docs.stripe.com/api/customers/list), so a
     * customer created by hand may share its address with one an integration creates.
     */
    public String addCustomerByHand(Map<String, String> params) {
        synchronized (account.lock) {
            return account.customerEndpoints.createCustomer(params).get("id").asText();
        }
    }

    /** Deletes a customer as a person does in the Dashboard ({@code DELETE /v1/customers/{id}}). */
    public StripeSandbox deleteCustomer(String customerId) {
        synchronized (account.lock) {
            account.customerEndpoints.deleteCustomer(customerId);
        }
        return this;
    }

    /**
     * The next {@code times} matching requests get {@code status} (e.g. 400/402/404) with {@code
     * {"error":{"type":type,"code":code,"message":message}}} ({@code code} may be null). Nothing is
     * executed or saved.
     */
    public StripeSandbox rejectNext(
            String method, String pathRegex, int times, int status, String type, String code, String message) {
        return answerNext(
                method,
                pathRegex,
                times,
                request -> StripeReplies.errorReply(status, type, code, null, message, request, null));
    }

    /**
     * Customer and invoice search see only data at least this old (Stripe's search index lags, usually
     * under a minute). Zero (the default) makes search immediately consistent. Retrieve/list are
     * unaffected.
     */
    public StripeSandbox setSearchLag(Duration lag) {
        account.searchLag = lag == null ? Duration.ZERO : lag;
        return this;
    }

    /** Forgets all saved idempotency keys, as Stripe does after 24 h: a reused key is a new request. */
    public StripeSandbox forgetIdempotencyKeys() {
        synchronized (account.lock) {
            account.idempotency.clear();
        }
        return this;
    }

    // ---------------------------------------------------------------- inspection

    /**
     * Live (not deleted) customers in creation order, flattened: {@code id, created, name, email, phone, description,
     * currency, address[...], metadata[...]} (null fields omitted).
     */
    public List<Map<String, String>> customers() {
        synchronized (account.lock) {
            return account.customers.values().stream()
                    .filter(c -> !c.deleted)
                    .map(c -> flatten(c.json, Customer.FIELDS, Map.of()))
                    .toList();
        }
    }

    /** The first-created customer whose {@code metadata[crm_id]} equals {@code crmId} (no search lag). */
    public Optional<Map<String, String>> customerByCrmId(String crmId) {
        return customers().stream()
                .filter(c -> crmId.equals(c.get("metadata[crm_id]")))
                .findFirst();
    }

    /**
     * Invoices in creation order: {@code id, customer, status} ({@code draft}/{@code open}/{@code
     * paid}), {@code number} (once finalized), {@code currency, collection_method, auto_advance,
     * description, due_date, amount_due, subtotal, total, hosted_invoice_url,
     * status_transitions[finalized_at], status_transitions[paid_at], metadata[...]} (null fields
     * omitted), plus the create
     * parameters Stripe does not echo ({@code days_until_due}, {@code pending_invoice_items_behavior}),
     * {@code line_count} and {@code invoice_items} (comma-separated {@code ii_} ids, in line order).
     */
    public List<Map<String, String>> invoices() {
        synchronized (account.lock) {
            return account.invoices.values().stream()
                    .map(i -> flatten(i.json, INVOICE_FIELDS, i.extras()))
                    .toList();
        }
    }

    /**
     * Invoice items in creation order: {@code id, customer, invoice, amount, currency, description,
     * date, metadata[...]}.
     */
    public List<Map<String, String>> invoiceItems() {
        synchronized (account.lock) {
            return account.items.values().stream()
                    .map(i -> flatten(i, ITEM_FIELDS, Map.of()))
                    .toList();
        }
    }

    // ---------------------------------------------------------------- as a VendorSandbox

    @Override
    protected ApiKeyScheme apiKeyScheme() {
        return STRIPE_KEYS;
    }

    @Override
    protected Set<String> recordedHeaders() {
        return Set.of("Content-Type", "Idempotency-Key", "Stripe-Version");
    }

    @Override
    protected void resetState() {
        account.reset();
    }

    @Override
    protected SandboxReply errorReply(SandboxRequest request, SandboxError error) {
        return StripeReplies.errorReply(request, error);
    }

    @Override
    protected SandboxReply serve(SandboxRequest request, EndpointFailure failure) {
        return account.serve(request, failure, () -> route(request));
    }

    /** The endpoints without idempotency (GET, DELETE, a POST without a key). */
    @Override
    protected SandboxReply route(SandboxRequest request) {
        Outcome o = account.execute(request.method(), request.path(), request.params());
        String key = request.header("Idempotency-Key");
        return StripeReplies.reply(
                o.status(),
                o.body(),
                request,
                key == null || key.isEmpty() ? null : key,
                request.header("Stripe-Version"),
                null);
    }

    // ================================================================= implementation

    private static final List<String> INVOICE_FIELDS = List.of(
            "id",
            "customer",
            "status",
            "number",
            "currency",
            "collection_method",
            "auto_advance",
            "description",
            "due_date",
            "amount_due",
            "subtotal",
            "total",
            "hosted_invoice_url",
            "status_transitions",
            "metadata");
    private static final List<String> ITEM_FIELDS =
            List.of("id", "customer", "invoice", "amount", "currency", "description", "date", "metadata");

    /** {@link VendorSandbox#runEndpoint}, for this package's {@link Account}. */
    static <T> T runEndpointUnder(EndpointFailure failure, Supplier<T> endpoint, IntFunction<T> failed) {
        return runEndpoint(failure, endpoint, failed);
    }

    /** {@link VendorSandbox#randomId}, for this package's endpoints (ids, invoice prefixes, tokens). */
    static String random(int n) {
        return randomId(n);
    }
}
