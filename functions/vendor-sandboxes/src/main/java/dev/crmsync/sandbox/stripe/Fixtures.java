package dev.crmsync.sandbox.stripe;

import static dev.crmsync.sandbox.stripe.StripeSandbox.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Stripe's example objects, read once from the classpath ({@code stripe/fixtures3.json}, a
 * trimmed copy of Stripe's published fixtures, MIT; see {@code stripe/README.md} beside it).
 */
final class Fixtures {
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
