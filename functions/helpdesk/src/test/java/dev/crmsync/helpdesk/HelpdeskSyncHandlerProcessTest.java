package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.HandlerProcess;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real handler in a separate JVM, configured only through its environment as the stack
 * configures it, with the Zendesk subdomain missing: what on-call sees when a deploy forgot it.
 * Needs the local servers (ElasticMQ, dynalite).
 */
class HelpdeskSyncHandlerProcessTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();

    @Test
    void aMissingSubdomainFailsEveryRecordWithAStatusNamingItAndComesBackSlowly() throws Exception {
        // the queue's own visibility timeout is 1 s: a message the function left alone is back at once
        HelpdeskHarness harness = new HelpdeskHarness(zendesk, 50, 1);
        String account = "001" + Long.toString(System.nanoTime(), 36);
        harness.send(HelpdeskHarness.accountUpserted(account, 1, "Acme"));
        harness.send("{\"detail-type\": \"account.upserted\", \"detail\": {\"eventId\": \"evt-bad-" + account + "\"}}");
        Map<String, String> noSubdomain = new HashMap<>();
        noSubdomain.put("CRM_SYNC_VENDOR_URL", null);
        noSubdomain.put("CRM_SYNC_OPTION_SUBDOMAIN", null);

        HandlerProcess.Result run =
                HandlerProcess.pollOnce(HelpdeskSyncHandler.class, harness, zendesk.baseUrl(), noSubdomain);

        // the function started, answered the batch and ended normally: no invocation error
        assertThat(run.exitValue()).as(run.output()).isZero();
        for (String eventId : new String[] {"evt-" + account + "-v1", "evt-bad-" + account}) {
            var status = harness.statusItem(eventId);
            assertThat(status).as(eventId + "\n" + run.output()).isNotNull();
            assertThat(status.get("outcome").s()).isEqualTo("RETRYING");
            assertThat(status.get("errorClass").s()).isEqualTo("startup_failed");
            assertThat(status.get("reason").s()).contains("CRM_SYNC_OPTION_SUBDOMAIN");
        }
        // both were failed with a long visibility, not left to the queue's own
        Thread.sleep(1_500);
        assertThat(harness.aws
                        .sqs()
                        .receiveMessage(
                                b -> b.queueUrl(harness.queues.queueUrl()).maxNumberOfMessages(10))
                        .messages())
                .isEmpty();
        assertThat(harness.queuedMessages()).isEqualTo(2);
        assertThat(harness.dlqMessages()).isEmpty();
        // logged once as an error naming the problem, and counted for the alarm
        assertThat(run.lines())
                .anySatisfy(
                        line -> assertThat(line).contains("\"level\":\"ERROR\"").contains("CRM_SYNC_OPTION_SUBDOMAIN"));
        assertThat(run.lines()).anySatisfy(line -> assertThat(line).contains("\"startupFailed\""));
        assertThat(zendesk.calls("POST", "/api/v2/organizations/create_or_update"))
                .noneMatch(call -> call.body()
                        .path("organization")
                        .path("external_id")
                        .asText()
                        .equals(account));
    }
}
