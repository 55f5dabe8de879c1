package dev.crmsync.sandbox.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.ApiKeyScheme;
import dev.crmsync.sandbox.EndpointFailure;
import dev.crmsync.sandbox.SandboxError;
import dev.crmsync.sandbox.SandboxReply;
import dev.crmsync.sandbox.SandboxRequest;
import dev.crmsync.sandbox.VendorSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final ObjectMapper JSON = new ObjectMapper();
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
      return account.createCustomer(params).get("id").asText();
    }
  }

  /** Deletes a customer as a person does in the Dashboard ({@code DELETE /v1/customers/{id}}). */
  public StripeSandbox deleteCustomer(String customerId) {
    synchronized (account.lock) {
      account.deleteCustomer(customerId);
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
    return answerNext(method, pathRegex, times, request -> Account.errorReply(status, type, code, null, message, request, null));
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
          .map(c -> flatten(c.json, CUSTOMER_FIELDS, Map.of()))
          .toList();
    }
  }

  /** The first-created customer whose {@code metadata[crm_id]} equals {@code crmId} (no search lag). */
  public Optional<Map<String, String>> customerByCrmId(String crmId) {
    return customers().stream().filter(c -> crmId.equals(c.get("metadata[crm_id]"))).findFirst();
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
      return account.invoices.values().stream().map(i -> flatten(i.json, INVOICE_FIELDS, i.extras())).toList();
    }
  }

  /**
   * Invoice items in creation order: {@code id, customer, invoice, amount, currency, description,
   * date, metadata[...]}.
   */
  public List<Map<String, String>> invoiceItems() {
    synchronized (account.lock) {
      return account.items.values().stream().map(i -> flatten(i, ITEM_FIELDS, Map.of())).toList();
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
    return Account.errorReply(request, error);
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
    return Account.reply(
        o.status(), o.body(), request, key == null || key.isEmpty() ? null : key, request.header("Stripe-Version"), null);
  }

  // ================================================================= implementation

  private static final List<String> CUSTOMER_FIELDS =
      List.of("id", "created", "name", "email", "phone", "description", "currency", "address", "metadata");
  private static final List<String> INVOICE_FIELDS =
      List.of(
          "id", "customer", "status", "number", "currency", "collection_method", "auto_advance",
          "description", "due_date", "amount_due", "subtotal", "total", "hosted_invoice_url",
          "status_transitions", "metadata");
  /** What the invoice search index holds (and {@link #setSearchLag} delays). */
  private static final List<String> INVOICE_SEARCH_FIELDS = List.of("customer", "status", "number", "currency", "metadata");
  private static final List<String> ITEM_FIELDS =
      List.of("id", "customer", "invoice", "amount", "currency", "description", "date", "metadata");

  private static Map<String, String> flatten(ObjectNode json, List<String> fields, Map<String, String> extras) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String f : fields) {
      flattenInto(out, f, json.get(f));
    }
    out.putAll(extras);
    return Collections.unmodifiableMap(out);
  }

  private static void flattenInto(Map<String, String> out, String key, JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return;
    }
    if (v.isObject()) {
      v.properties().forEach(e -> flattenInto(out, key + "[" + e.getKey() + "]", e.getValue()));
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        flattenInto(out, key + "[" + i + "]", v.get(i));
      }
    } else {
      out.put(key, v.asText());
    }
  }

  /**
   * Stripe's example objects, read once from the classpath ({@code stripe/fixtures3.json}, a
   * trimmed copy of Stripe's published fixtures, MIT; see {@code stripe/README.md} beside it).
   */
  private static final class Fixtures {
    static final String RESOURCE = "/stripe/fixtures3.json";
    private static volatile Fixtures instance;

    final ObjectNode customer;
    final ObjectNode invoice;
    final ObjectNode invoiceItem;
    final ObjectNode lineItem;

    private Fixtures(JsonNode resources) {
      customer = (ObjectNode) require(resources, "customer");
      invoice = (ObjectNode) require(resources, "invoice");
      invoiceItem = (ObjectNode) require(resources, "invoiceitem");
      JsonNode line = invoice.path("lines").path("data").path(0);
      if (!line.isObject()) {
        throw new IllegalStateException("fixtures3.json: resources.invoice.lines.data[0] missing");
      }
      lineItem = (ObjectNode) line;
    }

    private static JsonNode require(JsonNode resources, String name) {
      JsonNode n = resources.get(name);
      if (n == null || !n.isObject()) {
        throw new IllegalStateException("fixtures3.json has no resources." + name);
      }
      return n;
    }

    static Fixtures load() {
      Fixtures f = instance;
      if (f == null) {
        synchronized (Fixtures.class) {
          f = instance;
          if (f == null) {
            try (InputStream in = StripeSandbox.class.getResourceAsStream(RESOURCE)) {
              if (in == null) {
                throw new IllegalStateException("StripeSandbox: " + RESOURCE + " is not on the classpath");
              }
              f = new Fixtures(JSON.readTree(in).path("resources"));
            } catch (IOException e) {
              throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            instance = f;
          }
        }
      }
      return f;
    }
  }

  /** A Stripe error raised while handling a request; {@code saved} = kept under an idempotency key. */
  private static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String type;
    final String code;
    final String param;
    final boolean saved;

    ApiError(int status, String type, String code, String param, String message, boolean saved) {
      super(message, null, false, false);
      this.status = status;
      this.type = type;
      this.code = code;
      this.param = param;
      this.saved = saved;
    }

    /** A parameter validation failure: the endpoint never ran, so nothing is saved. */
    static ApiError invalid(String code, String param, String message) {
      return new ApiError(400, "invalid_request_error", code, param, message, false);
    }

    static ApiError missing(String kind, String id, String param) {
      return new ApiError(404, "invalid_request_error", "resource_missing", param, "No such " + kind + ": '" + id + "'", true);
    }
  }

  private record Outcome(int status, byte[] body, boolean saved) {}

  private static final class IdempotencyRecord {
    final String method;
    final String path;
    final String fingerprint;
    boolean done;
    int status;
    byte[] body;
    String requestId;

    IdempotencyRecord(String method, String path, String fingerprint) {
      this.method = method;
      this.path = path;
      this.fingerprint = fingerprint;
    }
  }

  /** An object search can find: its JSON and the versions of its searchable fields. */
  private abstract static class Searchable {
    final ObjectNode json;
    /** Versions of the searchable fields, for the search lag: (time, flattened fields). */
    final List<Map.Entry<Instant, Map<String, String>>> versions = new ArrayList<>();

    Searchable(ObjectNode json) {
      this.json = json;
    }

    abstract List<String> searchFields();

    /** Call after every change: search sees this version once it is older than the search lag. */
    void snapshot() {
      versions.add(Map.entry(Instant.now(), flatten(json, searchFields(), Map.of())));
    }
  }

  private static final class Customer extends Searchable {
    boolean deleted;

    Customer(ObjectNode json) {
      super(json);
    }

    @Override
    List<String> searchFields() {
      return CUSTOMER_FIELDS;
    }
  }

  private static final class Invoice extends Searchable {
    final Map<String, String> created = new LinkedHashMap<>();
    final List<String> itemIds = new ArrayList<>();

    Invoice(ObjectNode json) {
      super(json);
    }

    @Override
    List<String> searchFields() {
      return INVOICE_SEARCH_FIELDS;
    }

    Map<String, String> extras() {
      Map<String, String> m = new LinkedHashMap<>(created);
      m.put("line_count", Integer.toString(itemIds.size()));
      m.put("invoice_items", String.join(",", itemIds));
      return m;
    }
  }

  // ---------------------------------------------------------------- the account

  /** The Stripe account behind the sandbox: its objects, idempotency records and endpoints. */
  private static final class Account {
    private static final Pattern KEY_PREFIX = Pattern.compile("^((?:sk|rk|pk)_(?:test|live)_)");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern CURRENCY = Pattern.compile("^[a-z]{3}$");
    private static final Pattern CUSTOMER_PATH = Pattern.compile("^/v1/customers/([^/]+)$");
    private static final Pattern INVOICE_PATH = Pattern.compile("^/v1/invoices/([^/]+)$");
    private static final Pattern FINALIZE_PATH = Pattern.compile("^/v1/invoices/([^/]+)/finalize$");
    private static final Pattern INVOICE_PREFIX = Pattern.compile("^[A-Z0-9]{3,12}$");
    private static final Set<String> CUSTOMER_SEARCH_FIELDS = Set.of("email", "name", "phone");
    private static final Set<String> INVOICE_SEARCH_SCALARS = Set.of("customer", "status", "number", "currency");
    private static final Pattern ITEM_PATH = Pattern.compile("^/v1/invoiceitems/([^/]+)$");
    static final String DEFAULT_STRIPE_VERSION = "2025-08-27.basil";
    private static final Pattern API_VERSION = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?$");
    private static final String SERVER_ERROR_MESSAGE =
        "Sorry, something went wrong. We've already been notified of the problem, but if you need any"
            + " help, you can reach us at support.stripe.com/contact.";

    // Top-level parameters Stripe accepts but the sandbox does not model: accepted and ignored.
    private static final Set<String> CUSTOMER_UNMODELED =
        Set.of(
            "balance", "business_name", "cash_balance", "coupon", "default_source", "individual_name",
            "invoice_settings", "next_invoice_sequence", "payment_method",
            "preferred_locales", "promotion_code", "shipping", "source", "tax", "tax_exempt", "tax_id_data",
            "test_clock", "validate");
    private static final Set<String> INVOICE_UNMODELED =
        Set.of(
            "account_tax_ids", "application_fee_amount", "automatic_tax", "automatically_finalizes_at",
            "custom_fields", "default_payment_method", "default_source", "default_tax_rates", "discounts",
            "effective_at", "footer", "from_invoice", "issuer", "number", "on_behalf_of", "payment_settings",
            "rendering", "shipping_cost", "shipping_details", "statement_descriptor", "subscription",
            "transfer_data");
    private static final Set<String> ITEM_UNMODELED =
        Set.of(
            "discountable", "discounts", "price_data", "pricing", "quantity", "subscription", "tax_behavior",
            "tax_code", "tax_rates", "unit_amount_decimal");
    private static final Set<String> ADDRESS_FIELDS = Set.of("city", "country", "line1", "line2", "postal_code", "state");

    final Object lock = new Object();
    final Map<String, Customer> customers = new LinkedHashMap<>(); // guarded by lock
    final Map<String, Invoice> invoices = new LinkedHashMap<>(); // guarded by lock
    final Map<String, ObjectNode> items = new LinkedHashMap<>(); // guarded by lock
    final Map<String, IdempotencyRecord> idempotency = new HashMap<>(); // guarded by lock
    volatile Duration searchLag = Duration.ZERO;

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
        return errorReply(400, "invalid_request_error", null, null, "Invalid Stripe API version: " + version, req, key);
      }
      if ("POST".equals(method) && !req.body().isEmpty() && !req.isForm()) {
        return errorReply(400, "invalid_request_error", null, null,
            "Invalid request: unsupported Content-Type " + req.contentType()
                + ". If error persists and you need assistance, please contact support@stripe.com.",
            req, key);
      }
      if (req.malformed() != null) {
        return errorReply(400, "invalid_request_error", null, null, req.malformed(), req, key);
      }
      if (!"POST".equals(method) || key == null) {
        req.awaitLatency(); // before the endpoint runs: the object appears once the wait is over
        return runEndpoint(failure, endpoint, status -> {
          Outcome o = serverError(status);
          return reply(o.status(), o.body(), req, null, version, null);
        });
      }
      if (key.length() > 255) {
        return errorReply(400, "invalid_request_error", null, null,
            "Idempotency-Key is too long: it can be at most 255 characters, but you passed " + key.length() + ".",
            req, key);
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
          early =
              errorReply(409, "idempotency_error", "idempotency_key_in_use", null,
                  "There is currently another in-progress request using this Idempotent Key (that probably means"
                      + " you submitted twice, and the other request is still going through): " + key
                      + ". Please try again later.",
                  req, key)
              .withHeader("Stripe-Should-Retry", "true");
        } else if (!existing.method.equals(method) || !existing.path.equals(path)) {
          early =
              errorReply(400, "idempotency_error", null, null,
                  "Keys for idempotent requests can only be used for the same endpoint they were first used for ('"
                      + existing.method + " " + existing.path + "' vs '" + method + " " + path
                      + "'). Try using a key other than '" + key + "' if you meant to execute a different request.",
                  req, key);
        } else if (!existing.fingerprint.equals(fingerprint)) {
          early =
              errorReply(400, "idempotency_error", null, null,
                  "Keys for idempotent requests can only be used with the same parameters they were first used with."
                      + " Try using a key other than '" + key + "' if you meant to execute a different request.",
                  req, key);
        } else {
          early = reply(existing.status, existing.body, req, key, version, existing.requestId).asReplay();
        }
      }
      // Latency is spent while the key is held: a concurrent same-key request then sees 409.
      req.awaitLatency();
      if (early != null) {
        return early;
      }
      Outcome o;
      try {
        o = runEndpoint(failure, () -> execute(method, path, params), Account::serverError);
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

    static String mask(String apiKey) {
      Matcher m = KEY_PREFIX.matcher(apiKey);
      String prefix = m.find() ? m.group(1) : "";
      String rest = apiKey.substring(prefix.length());
      String tail = rest.length() > 8 ? rest.substring(rest.length() - 4) : "";
      return prefix + "****" + tail;
    }

    // ------------------------------------------------------------ endpoints

    private static Outcome serverError(int status) {
      return new Outcome(status, bytes(errorBody("api_error", null, null, SERVER_ERROR_MESSAGE)), true);
    }

    private Outcome execute(String method, String path, Map<String, String> params) {
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
          return createCustomer(params);
        }
        if ((m = CUSTOMER_PATH.matcher(path)).matches() && !m.group(1).equals("search")) {
          return updateCustomer(m.group(1), params);
        }
        if (path.equals("/v1/invoices")) {
          return createInvoice(params);
        }
        if ((m = FINALIZE_PATH.matcher(path)).matches()) {
          return finalizeInvoice(m.group(1), params);
        }
        if (path.equals("/v1/invoiceitems")) {
          return createInvoiceItem(params);
        }
      } else if ("DELETE".equals(method)) {
        if ((m = CUSTOMER_PATH.matcher(path)).matches()) {
          allow(params, Set.of(), Set.of());
          customer(m.group(1), "id");
          return deleteCustomer(m.group(1));
        }
      } else if ("GET".equals(method)) {
        if (path.equals("/v1/customers")) {
          return listCustomers(params);
        }
        if (path.equals("/v1/customers/search")) {
          return searchCustomers(params);
        }
        if ((m = CUSTOMER_PATH.matcher(path)).matches()) {
          allow(params, Set.of("expand"), Set.of());
          Customer c = customers.get(m.group(1));
          if (c != null && c.deleted) {
            return deletedStub(m.group(1));
          }
          return customer(m.group(1), "id").json.deepCopy();
        }
        if (path.equals("/v1/invoices/search")) {
          return search(params, INVOICE_SEARCH_SCALARS, "/v1/invoices/search", invoices.values());
        }
        if ((m = INVOICE_PATH.matcher(path)).matches()) {
          allow(params, Set.of("expand"), Set.of());
          Invoice inv = invoices.get(m.group(1));
          if (inv == null) {
            throw ApiError.missing("invoice", m.group(1), "id");
          }
          return inv.json.deepCopy();
        }
        if ((m = ITEM_PATH.matcher(path)).matches()) {
          allow(params, Set.of("expand"), Set.of());
          ObjectNode item = items.get(m.group(1));
          if (item == null) {
            throw ApiError.missing("invoiceitem", m.group(1), "id");
          }
          return item.deepCopy();
        }
      }
      throw new ApiError(404, "invalid_request_error", null, null,
          "Unrecognized request URL (" + method + ": " + path
              + "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
          false);
    }

    /** A live customer; a deleted one is missing for every write that names it. */
    private Customer customer(String id, String param) {
      Customer c = customers.get(id);
      if (c == null || c.deleted) {
        throw ApiError.missing("customer", id, param);
      }
      return c;
    }

    ObjectNode createCustomer(Map<String, String> params) {
      validateCustomerParams(params);
      ObjectNode c = Fixtures.load().customer.deepCopy();
      c.put("id", "cus_" + random(14));
      c.put("created", Instant.now().getEpochSecond());
      c.put("livemode", false);
      c.put("balance", 0);
      c.put("delinquent", false);
      c.putNull("discount");
      c.putNull("currency");
      c.putNull("shipping");
      c.putNull("default_source");
      c.put("invoice_prefix", random(8).toUpperCase(Locale.ROOT));
      c.put("next_invoice_sequence", 1);
      for (String f : List.of("name", "email", "phone", "description", "address")) {
        c.putNull(f);
      }
      c.set("metadata", JSON.createObjectNode());
      applyCustomerParams(c, params);
      Customer customer = new Customer(c);
      customer.snapshot();
      customers.put(c.get("id").asText(), customer);
      return c.deepCopy();
    }

    /** Stripe answers a delete, and later retrievals, with a stub; the customer leaves lists and search. */
    ObjectNode deleteCustomer(String id) {
      customer(id, "id").deleted = true;
      return deletedStub(id);
    }

    private static ObjectNode deletedStub(String id) {
      ObjectNode stub = JSON.createObjectNode();
      stub.put("id", id);
      stub.put("object", "customer");
      stub.put("deleted", true);
      return stub;
    }

    private ObjectNode updateCustomer(String id, Map<String, String> params) {
      Customer customer = customer(id, "id");
      validateCustomerParams(params);
      ObjectNode candidate = customer.json.deepCopy();
      applyCustomerParams(candidate, params);
      checkMetadataCount(candidate);
      customer.json.setAll(candidate);
      customer.snapshot();
      return customer.json.deepCopy();
    }

    private void validateCustomerParams(Map<String, String> params) {
      allow(params,
          Set.of("name", "email", "phone", "description", "address", "metadata", "invoice_prefix", "expand"),
          CUSTOMER_UNMODELED);
      String prefix = params.get("invoice_prefix");
      if (prefix != null && !INVOICE_PREFIX.matcher(prefix).matches()) {
        throw ApiError.invalid(null, "invoice_prefix",
            "Invalid invoice_prefix: must be 3 to 12 uppercase letters or numbers, but you passed '" + prefix + "'.");
      }
      for (Map.Entry<String, String> e : params.entrySet()) {
        String k = e.getKey();
        if (k.startsWith("address[")) {
          String sub = subKey(k, "address");
          if (sub == null || !ADDRESS_FIELDS.contains(sub)) {
            throw ApiError.invalid("parameter_unknown", k, "Received unknown parameter: " + k);
          }
        }
        for (String scalar : List.of("name", "email", "phone", "description")) {
          if (k.startsWith(scalar + "[")) {
            throw ApiError.invalid("parameter_invalid_string", scalar,
                "Invalid string: {...}; must be a string for " + scalar);
          }
        }
      }
      String email = params.get("email");
      if (email != null && !email.isEmpty() && !EMAIL.matcher(email).matches()) {
        throw ApiError.invalid("email_invalid", "email", "Invalid email address: " + email);
      }
      validateMetadata(params);
    }

    private static void applyCustomerParams(ObjectNode c, Map<String, String> params) {
      for (String f : List.of("name", "email", "phone", "description")) {
        if (params.containsKey(f)) {
          setOrNull(c, f, params.get(f));
        }
      }
      if ("".equals(params.get("address"))) {
        c.putNull("address");
      }
      for (Map.Entry<String, String> e : params.entrySet()) {
        if (e.getKey().startsWith("address[")) {
          ObjectNode address;
          if (c.get("address") instanceof ObjectNode existing) {
            address = existing;
          } else {
            address = JSON.createObjectNode();
            for (String f : List.of("city", "country", "line1", "line2", "postal_code", "state")) {
              address.putNull(f);
            }
            c.set("address", address);
          }
          setOrNull(address, subKey(e.getKey(), "address"), e.getValue());
        }
      }
      if (params.containsKey("invoice_prefix")) {
        c.put("invoice_prefix", params.get("invoice_prefix"));
      }
      applyMetadata(c, params);
    }

    private ObjectNode listCustomers(Map<String, String> params) {
      allow(params, Set.of("email", "limit", "starting_after", "ending_before", "created", "expand", "test_clock"), Set.of());
      int limit = limit(params);
      String email = params.get("email");
      List<Customer> all = new ArrayList<>(customers.values());
      Collections.reverse(all); // newest first, like Stripe's lists
      List<ObjectNode> matching = new ArrayList<>();
      boolean started = params.get("starting_after") == null;
      for (Customer c : all) {
        if (c.deleted) {
          continue;
        }
        if (!started) {
          started = c.json.get("id").asText().equals(params.get("starting_after"));
          continue;
        }
        if (email == null || email.equals(c.json.path("email").asText(null))) {
          matching.add(c.json);
        }
      }
      ObjectNode list = JSON.createObjectNode();
      list.put("object", "list");
      ArrayNode data = list.putArray("data");
      matching.stream().limit(limit).forEach(n -> data.add(n.deepCopy()));
      list.put("has_more", matching.size() > limit);
      list.put("url", "/v1/customers");
      return list;
    }

    private ObjectNode searchCustomers(Map<String, String> params) {
      List<Customer> live = customers.values().stream().filter(c -> !c.deleted).toList();
      return search(params, CUSTOMER_SEARCH_FIELDS, "/v1/customers/search", live);
    }

    /**
     * Stripe's search: {@code query} of exact-match clauses on {@code scalarFields} and {@code
     * metadata['key']}, compared without regard to case as Stripe documents it, newest first, {@code page} = the opaque {@code next_page} of the previous
     * result. Sees each object as it was at least {@link #searchLag} ago (or not at all).
     */
    private ObjectNode search(
        Map<String, String> params, Set<String> scalarFields, String url, Iterable<? extends Searchable> objects) {
      allow(params, Set.of("query", "limit", "page", "expand"), Set.of());
      String query = params.get("query");
      if (query == null) {
        throw ApiError.invalid("parameter_missing", "query", "Missing required param: query.");
      }
      Map<String, String> clauses = parseQuery(query, scalarFields);
      int limit = limit(params);
      int offset = 0;
      String page = params.get("page");
      if (page != null && !page.isEmpty()) {
        if (!page.matches("page_\\d+")) {
          throw ApiError.invalid(null, "page", "Invalid page: " + page);
        }
        offset = Integer.parseInt(page.substring(5));
      }
      Instant visibleBefore = Instant.now().minus(searchLag);
      List<Searchable> all = new ArrayList<>();
      objects.forEach(all::add);
      Collections.reverse(all);
      List<ObjectNode> hits = new ArrayList<>();
      for (Searchable o : all) {
        Map<String, String> indexed = null;
        for (Map.Entry<Instant, Map<String, String>> v : o.versions) {
          if (!v.getKey().isAfter(visibleBefore)) {
            indexed = v.getValue();
          }
        }
        if (indexed != null && matchesClauses(indexed, clauses)) {
          hits.add(o.json);
        }
      }
      ObjectNode result = JSON.createObjectNode();
      result.put("object", "search_result");
      ArrayNode data = result.putArray("data");
      hits.stream().skip(offset).limit(limit).forEach(n -> data.add(n.deepCopy()));
      boolean more = hits.size() > offset + limit;
      result.put("has_more", more);
      if (more) {
        result.put("next_page", "page_" + (offset + limit));
      } else {
        result.putNull("next_page");
      }
      result.put("url", url);
      return result;
    }

    private static boolean matchesClauses(Map<String, String> indexed, Map<String, String> clauses) {
      for (Map.Entry<String, String> cl : clauses.entrySet()) {
        String actual = indexed.get(cl.getKey());
        if (actual == null) {
          return false;
        }
        // Stripe's ':' is "Exact match operator (case insensitive)" for every field type, metadata
        // (a token field) included: metadata['crm_id']:'001aB' also finds '001Ab'.
        // https://docs.stripe.com/search#search-query-language
        if (!actual.equalsIgnoreCase(cl.getValue())) {
          return false;
        }
      }
      return true;
    }

    /**
     * Parses {@code field:'value' AND metadata['k']:'v' ...} into flattened field -> value. Fields:
     * {@code scalarFields} and metadata['key'] (single or double quotes, backslash escapes).
     */
    static Map<String, String> parseQuery(String query, Set<String> scalarFields) {
      Map<String, String> clauses = new LinkedHashMap<>();
      int[] pos = {0};
      String q = query.trim();
      if (q.isEmpty()) {
        throw badQuery(query, scalarFields, "empty query");
      }
      while (true) {
        skipSpaces(q, pos);
        int start = pos[0];
        while (pos[0] < q.length() && (Character.isLetterOrDigit(q.charAt(pos[0])) || q.charAt(pos[0]) == '_')) {
          pos[0]++;
        }
        String field = q.substring(start, pos[0]);
        if (field.equals("metadata")) {
          if (pos[0] >= q.length() || q.charAt(pos[0]) != '[') {
            throw badQuery(query, scalarFields, "expected metadata['key']");
          }
          pos[0]++;
          String k = quoted(q, pos, query, scalarFields);
          if (pos[0] >= q.length() || q.charAt(pos[0]) != ']') {
            throw badQuery(query, scalarFields, "expected ]");
          }
          pos[0]++;
          field = "metadata[" + k + "]";
        } else if (!scalarFields.contains(field)) {
          throw badQuery(query, scalarFields, "unsupported field '" + field + "'");
        }
        if (pos[0] >= q.length() || q.charAt(pos[0]) != ':') {
          throw badQuery(query, scalarFields, "only the exact-match operator ':' is supported");
        }
        pos[0]++;
        clauses.put(field, quoted(q, pos, query, scalarFields));
        skipSpaces(q, pos);
        if (pos[0] >= q.length()) {
          return clauses;
        }
        if (!q.startsWith("AND", pos[0]) || pos[0] + 3 >= q.length() || !Character.isWhitespace(q.charAt(pos[0] + 3))) {
          throw badQuery(query, scalarFields, "clauses must be joined with AND");
        }
        pos[0] += 3;
      }
    }

    private static void skipSpaces(String q, int[] pos) {
      while (pos[0] < q.length() && Character.isWhitespace(q.charAt(pos[0]))) {
        pos[0]++;
      }
    }

    private static String quoted(String q, int[] pos, String query, Set<String> scalarFields) {
      if (pos[0] >= q.length() || (q.charAt(pos[0]) != '\'' && q.charAt(pos[0]) != '"')) {
        throw badQuery(query, scalarFields, "expected a quoted value");
      }
      char quote = q.charAt(pos[0]++);
      StringBuilder sb = new StringBuilder();
      while (pos[0] < q.length()) {
        char ch = q.charAt(pos[0]++);
        if (ch == '\\' && pos[0] < q.length()) {
          sb.append(q.charAt(pos[0]++));
        } else if (ch == quote) {
          return sb.toString();
        } else {
          sb.append(ch);
        }
      }
      throw badQuery(query, scalarFields, "unterminated string");
    }

    private static ApiError badQuery(String query, Set<String> scalarFields, String why) {
      return ApiError.invalid(null, "query",
          "Invalid query: " + why + " (StripeSandbox supports field:'value' clauses joined with AND for "
              + String.join(", ", new TreeSet<>(scalarFields)) + " and metadata['key']): " + query);
    }

    private ObjectNode createInvoice(Map<String, String> params) {
      allow(params,
          Set.of("customer", "metadata", "collection_method", "days_until_due", "due_date",
              "pending_invoice_items_behavior", "auto_advance", "description", "currency", "expand"),
          INVOICE_UNMODELED);
      validateMetadata(params);
      String customerId = params.get("customer");
      if (customerId == null || customerId.isEmpty()) {
        throw ApiError.invalid("parameter_missing", "customer", "Missing required param: customer.");
      }
      String collection = params.getOrDefault("collection_method", "charge_automatically");
      if (!collection.equals("charge_automatically") && !collection.equals("send_invoice")) {
        throw ApiError.invalid(null, "collection_method",
            "Invalid collection_method: must be one of charge_automatically or send_invoice");
      }
      Long daysUntilDue = integer(params, "days_until_due");
      Long dueDate = integer(params, "due_date");
      if ((daysUntilDue != null || dueDate != null) && !collection.equals("send_invoice")) {
        throw ApiError.invalid(null, daysUntilDue != null ? "days_until_due" : "due_date",
            "You can only set `" + (daysUntilDue != null ? "days_until_due" : "due_date")
                + "` if `collection_method` is `send_invoice`.");
      }
      String pending = params.getOrDefault("pending_invoice_items_behavior", "exclude");
      if (!pending.equals("include") && !pending.equals("exclude")) {
        throw ApiError.invalid(null, "pending_invoice_items_behavior",
            "Invalid pending_invoice_items_behavior: must be one of exclude or include");
      }
      Boolean autoAdvance = bool(params, "auto_advance");
      String currency = currency(params);
      Customer customer = customer(customerId, "customer");

      long now = Instant.now().getEpochSecond();
      String id = "in_" + random(24);
      ObjectNode inv = Fixtures.load().invoice.deepCopy();
      inv.put("id", id);
      inv.put("created", now);
      inv.put("livemode", false);
      inv.put("customer", customerId);
      ObjectNode cj = customer.json;
      inv.set("customer_address", cj.get("address").deepCopy());
      inv.set("customer_email", cj.get("email").deepCopy());
      inv.set("customer_name", cj.get("name").deepCopy());
      inv.set("customer_phone", cj.get("phone").deepCopy());
      inv.putNull("customer_shipping");
      inv.set("customer_tax_exempt", cj.path("tax_exempt").deepCopy());
      inv.put("status", "draft");
      inv.put("collection_method", collection);
      inv.put("auto_advance", autoAdvance != null && autoAdvance);
      setOrNull(inv, "description", params.get("description"));
      inv.put("billing_reason", "manual");
      inv.putNull("number");
      inv.put("attempt_count", 0);
      inv.put("attempted", false);
      inv.put("amount_paid", 0);
      inv.put("amount_shipping", 0);
      inv.put("amount_overpaid", 0);
      inv.put("starting_balance", 0);
      inv.putNull("ending_balance");
      inv.putNull("effective_at");
      inv.putNull("next_payment_attempt");
      inv.putNull("webhooks_delivered_at");
      inv.putNull("last_finalization_error");
      inv.putNull("from_invoice");
      inv.putNull("parent");
      inv.putNull("shipping_cost");
      inv.putNull("shipping_details");
      inv.putNull("hosted_invoice_url");
      inv.putNull("invoice_pdf");
      inv.putNull("receipt_number");
      ObjectNode transitions = inv.putObject("status_transitions");
      for (String t : List.of("finalized_at", "marked_uncollectible_at", "paid_at", "voided_at")) {
        transitions.putNull(t);
      }
      inv.put("period_start", now);
      inv.put("period_end", now);
      if (inv.get("automatically_finalizes_at") != null) {
        if (autoAdvance != null && autoAdvance) {
          inv.put("automatically_finalizes_at", now + 3600);
        } else {
          inv.putNull("automatically_finalizes_at");
        }
      }
      ObjectNode paymentSettings = inv.putObject("payment_settings");
      paymentSettings.putNull("default_mandate");
      paymentSettings.putNull("payment_method_options");
      paymentSettings.putNull("payment_method_types");
      if (collection.equals("send_invoice")) {
        inv.put("due_date", dueDate != null ? dueDate : now + 86400L * (daysUntilDue != null ? daysUntilDue : 30));
      } else {
        inv.putNull("due_date");
      }
      ObjectNode lines = inv.putObject("lines");
      lines.put("object", "list");
      lines.putArray("data");
      lines.put("has_more", false);
      lines.put("total_count", 0);
      lines.put("url", "/v1/invoices/" + id + "/lines");
      inv.set("metadata", JSON.createObjectNode());
      applyMetadata(inv, params);

      Invoice invoice = new Invoice(inv);
      invoice.created.put("pending_invoice_items_behavior", pending);
      if (daysUntilDue != null) {
        invoice.created.put("days_until_due", Long.toString(daysUntilDue));
      }
      List<ObjectNode> pendingItems = new ArrayList<>();
      if (pending.equals("include")) {
        for (ObjectNode item : items.values()) {
          if (item.get("customer").asText().equals(customerId) && item.get("invoice").isNull()) {
            pendingItems.add(item);
          }
        }
      }
      String invoiceCurrency =
          currency != null
              ? currency
              : !pendingItems.isEmpty()
                  ? pendingItems.get(0).get("currency").asText()
                  : cj.hasNonNull("currency") ? cj.get("currency").asText() : "usd";
      inv.put("currency", invoiceCurrency);
      invoices.put(id, invoice);
      for (ObjectNode item : pendingItems) {
        if (item.get("currency").asText().equals(invoiceCurrency)) {
          attach(invoice, item);
        }
      }
      recomputeTotals(invoice);
      invoice.snapshot();
      return inv.deepCopy();
    }

    /**
     * {@code POST /v1/invoices/{id}/finalize}: a draft becomes {@code open} with a number, a hosted
     * page and {@code status_transitions[finalized_at]}; an invoice with nothing due is marked {@code
     * paid} at once (Stripe: "If the amount due for the invoice is less than Stripe's minimum allowed
     * charge per currency, the invoice is automatically marked paid"; only the zero case is modeled).
     */
    private ObjectNode finalizeInvoice(String id, Map<String, String> params) {
      allow(params, Set.of("auto_advance", "expand"), Set.of());
      Boolean autoAdvance = bool(params, "auto_advance");
      Invoice invoice = invoices.get(id);
      if (invoice == null) {
        throw ApiError.missing("invoice", id, "id");
      }
      ObjectNode inv = invoice.json;
      if (!inv.get("status").asText().equals("draft")) {
        throw new ApiError(400, "invalid_request_error", "invoice_already_finalized", null,
            "This invoice is already finalized, you can't re-finalize a non-draft invoice.", true);
      }
      Customer customer = customer(inv.get("customer").asText(), "customer");
      long now = Instant.now().getEpochSecond();
      recomputeTotals(invoice); // amounts are the sum of the lines, frozen from now on
      ObjectNode cj = customer.json;
      long sequence = cj.path("next_invoice_sequence").asLong(1);
      inv.put("number", cj.get("invoice_prefix").asText() + "-" + String.format(Locale.ROOT, "%04d", sequence));
      cj.put("next_invoice_sequence", sequence + 1);
      // Customer details are copied onto the invoice and frozen at finalization.
      inv.set("customer_address", cj.get("address").deepCopy());
      inv.set("customer_email", cj.get("email").deepCopy());
      inv.set("customer_name", cj.get("name").deepCopy());
      inv.set("customer_phone", cj.get("phone").deepCopy());
      if (autoAdvance != null) {
        inv.put("auto_advance", autoAdvance);
      }
      String token = "test_" + random(44);
      inv.put("hosted_invoice_url", "https://invoice.stripe.com/i/acct_sandbox/" + token + "?s=ap");
      inv.put("invoice_pdf", "https://pay.stripe.com/invoice/acct_sandbox/" + token + "/pdf?s=ap");
      if (!inv.hasNonNull("effective_at")) {
        inv.put("effective_at", now);
      }
      if (inv.has("automatically_finalizes_at")) {
        inv.putNull("automatically_finalizes_at");
      }
      ObjectNode transitions = (ObjectNode) inv.get("status_transitions");
      transitions.put("finalized_at", now);
      if (inv.get("amount_due").asLong() == 0) {
        inv.put("status", "paid");
        inv.put("attempted", true);
        inv.put("auto_advance", false);
        inv.put("amount_remaining", 0);
        inv.put("ending_balance", 0);
        inv.putNull("next_payment_attempt");
        transitions.put("paid_at", now);
      } else {
        inv.put("status", "open");
        inv.put("ending_balance", 0);
        boolean automatic = inv.get("auto_advance").asBoolean()
            && inv.get("collection_method").asText().equals("charge_automatically");
        if (automatic) {
          inv.put("next_payment_attempt", now + 3600);
        } else {
          inv.putNull("next_payment_attempt");
        }
      }
      invoice.snapshot();
      return inv.deepCopy();
    }

    private ObjectNode createInvoiceItem(Map<String, String> params) {
      allow(params,
          Set.of("customer", "invoice", "amount", "currency", "description", "metadata", "period", "expand"),
          ITEM_UNMODELED);
      validateMetadata(params);
      String customerId = params.get("customer");
      if (customerId == null || customerId.isEmpty()) {
        throw ApiError.invalid("parameter_missing", "customer", "Missing required param: customer.");
      }
      Long amount = integer(params, "amount");
      if (amount == null) {
        throw ApiError.invalid("parameter_missing", "amount", "Missing required param: amount.");
      }
      String currency = currency(params);
      Long periodStart = integer(params, "period[start]");
      Long periodEnd = integer(params, "period[end]");
      Customer customer = customer(customerId, "customer");
      Invoice invoice = null;
      String invoiceId = params.get("invoice");
      if (invoiceId != null && !invoiceId.isEmpty()) {
        invoice = invoices.get(invoiceId);
        if (invoice == null) {
          throw ApiError.missing("invoice", invoiceId, "invoice");
        }
        if (!invoice.json.get("customer").asText().equals(customerId)) {
          throw new ApiError(400, "invalid_request_error", null, "invoice",
              "Invoice " + invoiceId + " belongs to customer " + invoice.json.get("customer").asText()
                  + ", not to " + customerId + ".", true);
        }
        if (!invoice.json.get("status").asText().equals("draft")) {
          throw new ApiError(400, "invalid_request_error", "invoice_not_editable", "invoice",
              "You can only add invoice items to draft invoices.", true);
        }
        String invoiceCurrency = invoice.json.get("currency").asText();
        if (currency == null) {
          currency = invoiceCurrency;
        } else if (!currency.equals(invoiceCurrency)) {
          throw new ApiError(400, "invalid_request_error", null, "currency",
              "The currency of the invoice item (" + currency + ") must match the currency of the invoice ("
                  + invoiceCurrency + ").", true);
        }
      }
      if (currency == null) {
        currency = customer.json.hasNonNull("currency") ? customer.json.get("currency").asText() : "usd";
      }
      long now = Instant.now().getEpochSecond();
      ObjectNode item = Fixtures.load().invoiceItem.deepCopy();
      item.put("id", "ii_" + random(24));
      item.put("object", "invoiceitem");
      item.put("amount", amount);
      item.put("currency", currency);
      item.put("customer", customerId);
      item.put("date", now);
      setOrNull(item, "description", params.get("description"));
      item.putNull("invoice");
      item.put("livemode", false);
      item.put("discountable", amount >= 0);
      item.put("proration", false);
      item.put("quantity", 1);
      if (item.has("quantity_decimal")) {
        item.put("quantity_decimal", "1");
      }
      if (item.has("net_amount")) {
        item.put("net_amount", amount);
      }
      item.putNull("parent");
      item.putNull("test_clock");
      if (item.get("pricing") instanceof ObjectNode pricing) {
        pricing.put("unit_amount_decimal", Long.toString(amount));
      }
      ObjectNode period = item.putObject("period");
      period.put("start", periodStart != null ? periodStart : now);
      period.put("end", periodEnd != null ? periodEnd : now);
      item.set("metadata", JSON.createObjectNode());
      applyMetadata(item, params);
      if (!customer.json.hasNonNull("currency")) {
        customer.json.put("currency", currency);
      }
      items.put(item.get("id").asText(), item);
      if (invoice != null) {
        attach(invoice, item);
        recomputeTotals(invoice);
      }
      return item.deepCopy();
    }

    private static void attach(Invoice invoice, ObjectNode item) {
      String invoiceId = invoice.json.get("id").asText();
      item.put("invoice", invoiceId);
      ObjectNode line = Fixtures.load().lineItem.deepCopy();
      line.put("id", "il_" + random(24));
      line.put("object", "line_item");
      line.put("amount", item.get("amount").asLong());
      line.put("currency", item.get("currency").asText());
      line.set("description", item.get("description").deepCopy());
      line.put("invoice", invoiceId);
      line.put("livemode", false);
      line.put("discountable", item.get("discountable").asBoolean());
      line.set("metadata", item.get("metadata").deepCopy());
      line.set("period", item.get("period").deepCopy());
      line.put("quantity", 1);
      line.putNull("subscription");
      if (line.has("subtotal")) {
        line.put("subtotal", item.get("amount").asLong());
      }
      if (line.has("quantity_decimal")) {
        line.put("quantity_decimal", "1");
      }
      ObjectNode parent = line.putObject("parent");
      ObjectNode details = parent.putObject("invoice_item_details");
      details.put("invoice_item", item.get("id").asText());
      details.put("proration", false);
      details.putNull("proration_details");
      details.putNull("subscription");
      parent.putNull("subscription_item_details");
      parent.put("type", "invoice_item_details");
      if (line.get("pricing") instanceof ObjectNode pricing) {
        pricing.put("unit_amount_decimal", Long.toString(item.get("amount").asLong()));
      }
      ((ArrayNode) invoice.json.get("lines").get("data")).add(line);
      invoice.itemIds.add(item.get("id").asText());
    }

    private void recomputeTotals(Invoice invoice) {
      long total = 0;
      for (String itemId : invoice.itemIds) {
        total += items.get(itemId).get("amount").asLong();
      }
      ObjectNode inv = invoice.json;
      long due = Math.max(0, total);
      for (String f : List.of("subtotal", "subtotal_excluding_tax", "total", "total_excluding_tax")) {
        inv.put(f, total);
      }
      inv.put("amount_due", due);
      inv.put("amount_remaining", due);
      ((ObjectNode) inv.get("lines")).put("total_count", invoice.itemIds.size());
    }

    // ------------------------------------------------------------ parameter helpers

    /** Stripe rejects unknown parameters: every top-level name must be modeled or known-unmodeled. */
    private static void allow(Map<String, String> params, Set<String> modeled, Set<String> unmodeled) {
      for (String k : params.keySet()) {
        int b = k.indexOf('[');
        String top = b < 0 ? k : k.substring(0, b);
        if (!modeled.contains(top) && !unmodeled.contains(top)) {
          throw ApiError.invalid("parameter_unknown", top, "Received unknown parameter: " + top);
        }
      }
    }

    private static String subKey(String key, String top) {
      if (!key.startsWith(top + "[") || !key.endsWith("]")) {
        return null;
      }
      String inner = key.substring(top.length() + 1, key.length() - 1);
      return inner.contains("[") || inner.contains("]") ? null : inner;
    }

    private static void validateMetadata(Map<String, String> params) {
      int count = 0;
      for (Map.Entry<String, String> e : params.entrySet()) {
        String k = e.getKey();
        if (k.equals("metadata")) {
          if (!e.getValue().isEmpty()) {
            throw ApiError.invalid(null, "metadata", "Invalid object: metadata must be a hash (or '' to unset it)");
          }
        } else if (k.startsWith("metadata[")) {
          String sub = subKey(k, "metadata");
          if (sub == null || sub.isEmpty()) {
            throw ApiError.invalid(null, "metadata", "Invalid metadata key: " + k);
          }
          if (sub.length() > 40) {
            throw ApiError.invalid(null, "metadata",
                "Metadata keys can have up to 40 characters, but you passed in a key that is " + sub.length()
                    + " characters. Invalid key: " + sub);
          }
          if (e.getValue().length() > 500) {
            throw ApiError.invalid(null, "metadata",
                "Metadata values can have up to 500 characters, but you passed in a value that is "
                    + e.getValue().length() + " characters. Invalid value: " + e.getValue());
          }
          count++;
        }
      }
      if (count > 50) {
        throw ApiError.invalid(null, "metadata",
            "Metadata can have up to 50 keys, but you passed in " + count + " keys.");
      }
    }

    private static void checkMetadataCount(ObjectNode obj) {
      int n = obj.get("metadata").size();
      if (n > 50) {
        throw ApiError.invalid(null, "metadata", "Metadata can have up to 50 keys, but you passed in " + n + " keys.");
      }
    }

    /** {@code metadata=} clears all; {@code metadata[k]=} removes k; otherwise merge. */
    private static void applyMetadata(ObjectNode obj, Map<String, String> params) {
      ObjectNode metadata = (ObjectNode) obj.get("metadata");
      if ("".equals(params.get("metadata"))) {
        metadata.removeAll();
      }
      for (Map.Entry<String, String> e : params.entrySet()) {
        if (e.getKey().startsWith("metadata[")) {
          String sub = subKey(e.getKey(), "metadata");
          if (e.getValue().isEmpty()) {
            metadata.remove(sub);
          } else {
            metadata.put(sub, e.getValue());
          }
        }
      }
    }

    private static void setOrNull(ObjectNode obj, String field, String value) {
      if (value == null || value.isEmpty()) {
        obj.putNull(field);
      } else {
        obj.put(field, value);
      }
    }

    private static Long integer(Map<String, String> params, String name) {
      String v = params.get(name);
      if (v == null || v.isEmpty()) {
        return null;
      }
      try {
        return Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        throw ApiError.invalid("parameter_invalid_integer", name, "Invalid integer: " + v);
      }
    }

    private static Boolean bool(Map<String, String> params, String name) {
      String v = params.get(name);
      if (v == null || v.isEmpty()) {
        return null;
      }
      return switch (v) {
        case "true" -> true;
        case "false" -> false;
        default -> throw ApiError.invalid(null, name, "Invalid boolean: " + v);
      };
    }

    private static String currency(Map<String, String> params) {
      String v = params.get("currency");
      if (v == null || v.isEmpty()) {
        return null;
      }
      String c = v.toLowerCase(Locale.ROOT);
      if (!CURRENCY.matcher(c).matches()) {
        throw ApiError.invalid(null, "currency", "Invalid currency: " + v);
      }
      return c;
    }

    private static int limit(Map<String, String> params) {
      Long l = integer(params, "limit");
      if (l == null) {
        return 10;
      }
      if (l < 1 || l > 100) {
        throw ApiError.invalid(null, "limit", "Invalid limit: must be between 1 and 100");
      }
      return l.intValue();
    }

    // ------------------------------------------------------------ responses

    private static ObjectNode errorBody(String type, String code, String param, String message) {
      ObjectNode root = JSON.createObjectNode();
      ObjectNode error = root.putObject("error");
      error.put("type", type);
      if (code != null) {
        error.put("code", code);
      }
      if (param != null) {
        error.put("param", param);
      }
      error.put("message", message);
      return root;
    }

    /** Stripe's answer for an error the shared sandbox raises (faults, API keys, its own bugs). */
    static SandboxReply errorReply(SandboxRequest req, SandboxError error) {
      return switch (error) {
        case SandboxError.Failure(int status, String cause) when cause != null ->
            errorReply(status, "api_error", null, null, "StripeSandbox internal error: " + cause, req,
                req.header("Idempotency-Key"));
        case SandboxError.Failure(int status, String cause) -> failure(status, req);
        case SandboxError.RateLimited(int retryAfterSeconds) ->
            errorReply(429, "invalid_request_error", "rate_limit", null,
                "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
                req, null)
                .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
        case SandboxError.Rejected(int status, String type, String message) ->
            errorReply(status, type, null, null, message, req, null);
        case SandboxError.Unauthorized(String key) when key == null ->
            errorReply(401, "invalid_request_error", null, null,
                "You did not provide an API key. You need to provide your API key in the Authorization header,"
                    + " using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See"
                    + " https://stripe.com/docs/api#authentication for details, or we can help at"
                    + " https://support.stripe.com/.",
                req, null)
                .withHeader("WWW-Authenticate", "Bearer realm=\"Stripe\"");
        case SandboxError.Unauthorized(String key) ->
            errorReply(401, "invalid_request_error", null, null, "Invalid API Key provided: " + mask(key), req, null)
                .withHeader("WWW-Authenticate", "Bearer realm=\"Stripe\"");
      };
    }

    /** Stripe's usual error for {@code status}. */
    private static SandboxReply failure(int s, SandboxRequest req) {
      if (s >= 500) {
        return errorReply(s, "api_error", null, null, SERVER_ERROR_MESSAGE, req, null);
      } else if (s == 409) {
        return errorReply(s, "invalid_request_error", "lock_timeout", null,
            "This object cannot be accessed right now because another API request or Stripe process is"
                + " currently accessing it. If you see this error intermittently, retry the request.",
            req, null);
      } else if (s == 429) {
        return errorReply(s, "invalid_request_error", "rate_limit", null,
            "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
            req, null);
      } else if (s == 401) {
        return errorReply(s, "invalid_request_error", null, null, "Invalid API Key provided: sk_test_****", req, null);
      } else if (s == 402) {
        return errorReply(s, "card_error", "card_declined", null, "Your card was declined.", req, null);
      } else if (s == 404) {
        return errorReply(s, "invalid_request_error", "resource_missing", "id", "No such object", req, null);
      }
      return errorReply(s, "invalid_request_error", null, null, "Invalid request.", req, null);
    }

    static SandboxReply errorReply(
        int status, String type, String code, String param, String message, SandboxRequest req, String key) {
      return reply(status, bytes(errorBody(type, code, param, message)), req, key, null, null);
    }

    static SandboxReply reply(
        int status, byte[] body, SandboxRequest req, String key, String version, String originalRequest) {
      SandboxReply r = SandboxReply.of(status, "application/json", body)
          .withHeader("Request-Id", "req_" + req.id())
          .withHeader("Stripe-Version", version != null ? version : DEFAULT_STRIPE_VERSION);
      if (key != null) {
        r = r.withHeader("Idempotency-Key", key);
      }
      if (originalRequest != null) {
        r = r.withHeader("Idempotent-Replayed", "true").withHeader("Original-Request", originalRequest);
      }
      return r;
    }

    private static byte[] bytes(JsonNode node) {
      return SandboxReply.bytes(node);
    }

    static String random(int n) {
      return randomId(n);
    }
  }
}
