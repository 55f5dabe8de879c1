package dev.crmsync.billing;

import dev.crmsync.sandbox.stripe.StripeSandbox;
import dev.crmsync.testkit.LocalAws;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local run: the billing pipeline on this machine, with no AWS account. Starts the local
 * servers (dynalite, ElasticMQ, a Secrets Manager endpoint, the Stripe sandbox), deploys a
 * table, a queue with its DLQ and a secret, sends the given sample events, lets the function
 * consume them as Lambda would, and prints what Stripe and the state table hold afterwards.
 *
 * <p>Run: {@code local/run [events/samples/...json ...]}.
 */
public final class LocalRun {
    private static final List<String> DEFAULT_SAMPLES =
            List.of("valid/account.upserted.json", "valid/deal.closed.json", "invalid/wrong-types.json");

    private LocalRun() {}

    public static void main(String[] args) {
        LocalMain.runAndExit(() -> run(args));
    }

    private static void run(String[] args) throws IOException {
        List<Path> samples = new ArrayList<>();
        if (args.length == 0) {
            DEFAULT_SAMPLES.forEach(s -> samples.add(TestEvents.SAMPLES.resolve(s)));
        } else {
            for (String arg : args) {
                samples.add(Path.of(arg).toAbsolutePath());
            }
        }
        BillingHarness harness = new BillingHarness(LocalAws.get(), StripeSandbox.shared(), 3, 30);
        System.out.println("== sending " + samples.size() + " event(s) to " + harness.queues.queueUrl());
        for (Path sample : samples) {
            System.out.println("   " + sample.getFileName());
            harness.send(Files.readString(sample));
        }
        System.out.println("== the billing function consumes the queue (log lines below)");
        harness.eventSourceMapping(harness.pipeline()).drain(Duration.ofSeconds(30));

        StripeSandbox stripe = harness.stripe;
        System.out.println("== Stripe now holds");
        stripe.customers()
                .forEach(c -> System.out.println("   customer " + c.get("id") + " name=" + c.get("name") + " email="
                        + c.get("email") + " crm_id=" + c.get("metadata[crm_id]") + " crm_version="
                        + c.get("metadata[crm_version]")));
        stripe.invoices()
                .forEach(i -> System.out.println("   invoice  " + i.get("id") + " " + i.get("status") + " "
                        + i.get("total") + " " + i.get("currency") + " customer=" + i.get("customer") + " crm_deal_id="
                        + i.get("metadata[crm_deal_id]")));
        System.out.println("   (" + stripe.calls().size() + " API calls received)");
        System.out.println("== state table " + harness.table);
        for (Map<String, AttributeValue> item :
                harness.aws.dynamo().scan(b -> b.tableName(harness.table)).items()) {
            System.out.println("   " + item.get("pk").s() + " " + describe(item));
        }
        System.out.println("== DLQ: " + harness.dlqMessages().size() + " message(s)");
    }

    private static String describe(Map<String, AttributeValue> item) {
        StringBuilder line = new StringBuilder();
        for (String field :
                List.of("externalId", "appliedVersion", "actionStatus", "outcome", "errorClass", "reason")) {
            AttributeValue value = item.get(field);
            if (value != null) {
                line.append(field)
                        .append('=')
                        .append(value.s() != null ? value.s() : value.n())
                        .append(' ');
            }
        }
        return line.toString().trim();
    }
}
