package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.StripeParams.allow;
import static dev.crmsync.sandbox.stripe.StripeParams.applyMetadata;
import static dev.crmsync.sandbox.stripe.StripeParams.checkMetadataCount;
import static dev.crmsync.sandbox.stripe.StripeParams.limit;
import static dev.crmsync.sandbox.stripe.StripeParams.setOrNull;
import static dev.crmsync.sandbox.stripe.StripeParams.subKey;
import static dev.crmsync.sandbox.stripe.StripeParams.validateMetadata;
import static dev.crmsync.sandbox.stripe.StripeSandbox.JSON;
import static dev.crmsync.sandbox.stripe.StripeSandbox.random;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/customers}, {@code POST /v1/customers/{id}}, {@code GET /v1/customers/{id}},
 * {@code GET /v1/customers} and {@code DELETE /v1/customers/{id}} (search is in {@link
 * SearchEndpoints}). Called with {@code account.lock} held.
 */
final class CustomerEndpoints {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern INVOICE_PREFIX = Pattern.compile("^[A-Z0-9]{3,12}$");

    // Top-level parameters Stripe accepts but the sandbox does not model: accepted and ignored.
    private static final Set<String> CUSTOMER_UNMODELED = Set.of(
            "balance",
            "business_name",
            "cash_balance",
            "coupon",
            "default_source",
            "individual_name",
            "invoice_settings",
            "next_invoice_sequence",
            "payment_method",
            "preferred_locales",
            "promotion_code",
            "shipping",
            "source",
            "tax",
            "tax_exempt",
            "tax_id_data",
            "test_clock",
            "validate");
    private static final Set<String> ADDRESS_FIELDS =
            Set.of("city", "country", "line1", "line2", "postal_code", "state");

    private final Account account;

    CustomerEndpoints(Account account) {
        this.account = account;
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
        account.customers.put(c.get("id").asText(), customer);
        return c.deepCopy();
    }

    /** Stripe answers a delete, and later retrievals, with a stub; the customer leaves lists and search. */
    ObjectNode deleteCustomer(String id) {
        account.customer(id, "id").deleted = true;
        return deletedStub(id);
    }

    private static ObjectNode deletedStub(String id) {
        ObjectNode stub = JSON.createObjectNode();
        stub.put("id", id);
        stub.put("object", "customer");
        stub.put("deleted", true);
        return stub;
    }

    ObjectNode updateCustomer(String id, Map<String, String> params) {
        Customer customer = account.customer(id, "id");
        validateCustomerParams(params);
        ObjectNode candidate = customer.json.deepCopy();
        applyCustomerParams(candidate, params);
        checkMetadataCount(candidate);
        customer.json.setAll(candidate);
        customer.snapshot();
        return customer.json.deepCopy();
    }

    private void validateCustomerParams(Map<String, String> params) {
        allow(
                params,
                Set.of("name", "email", "phone", "description", "address", "metadata", "invoice_prefix", "expand"),
                CUSTOMER_UNMODELED);
        String prefix = params.get("invoice_prefix");
        if (prefix != null && !INVOICE_PREFIX.matcher(prefix).matches()) {
            throw ApiError.invalid(
                    null,
                    "invoice_prefix",
                    "Invalid invoice_prefix: must be 3 to 12 uppercase letters or numbers, but you passed '" + prefix
                            + "'.");
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
                    throw ApiError.invalid(
                            "parameter_invalid_string",
                            scalar,
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

    ObjectNode listCustomers(Map<String, String> params) {
        allow(
                params,
                Set.of("email", "limit", "starting_after", "ending_before", "created", "expand", "test_clock"),
                Set.of());
        int limit = limit(params);
        String email = params.get("email");
        List<Customer> all = new ArrayList<>(account.customers.values());
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

    /** {@code GET /v1/customers/{id}}: a deleted customer answers with its stub. */
    ObjectNode retrieveCustomer(String id, Map<String, String> params) {
        allow(params, Set.of("expand"), Set.of());
        Customer c = account.customers.get(id);
        if (c != null && c.deleted) {
            return deletedStub(id);
        }
        return account.customer(id, "id").json.deepCopy();
    }
}
