package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.RecordedCall;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import dev.crmsync.testkit.LocalAws;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** One helpdesk deployment on local servers, wired to a Zendesk sandbox that accepts its token; and its events. */
final class HelpdeskHarness extends IntegrationHarness {
    static final String AGENT_EMAIL = "crm-sync@acme.example";
    static final String API_TOKEN = "6wiIBWbGkBMo1mRDMuVwkw1EPsNkeUj95PIz2akv";

    final ZendeskSandbox zendesk;

    HelpdeskHarness(ZendeskSandbox zendesk, int maxReceiveCount, int queueVisibilitySeconds) {
        super(
                LocalAws.get(),
                ZendeskConnector.INTEGRATION,
                ZendeskConnector::new,
                zendesk.baseUrl(),
                "{\"email\":\"" + AGENT_EMAIL + "\",\"apiToken\":\"" + API_TOKEN + "\"}",
                maxReceiveCount,
                queueVisibilitySeconds);
        this.zendesk = zendesk;
        zendesk.acceptApiKeys(API_TOKEN);
    }

    /**
     * account.upserted of {@code accountId} at {@code version}, named {@code name}, event id {@code
     * evt-<id>-v<version>}.
     */
    static String accountUpserted(String accountId, long version, String name) {
        return SampleEvents.accountUpserted(accountId, version, name);
    }

    /** contact.upserted of {@code contactId} in {@code accountId} (null: no account), named {@code firstName} Lee. */
    static String contactUpserted(String contactId, String accountId, long version, String firstName) {
        return SampleEvents.event("contact.upserted", "evt-" + contactId + "-v" + version, contactId, version, data -> {
            data.put("firstName", firstName);
            data.put("email", contactId.toLowerCase(Locale.ROOT) + "@acme.example");
            if (accountId == null) {
                data.remove("accountId");
            } else {
                data.put("accountId", accountId);
            }
        });
    }

    static String deleted(String detailType, String recordId, long version) {
        return SampleEvents.event(detailType, "evt-" + recordId + "-v" + version, recordId, version, data -> {});
    }

    /** The organization or user create_or_update calls Zendesk answered 200/201 for this CRM id, in arrival order. */
    List<JsonNode> acceptedWrites(String kind, String externalId) {
        return zendesk.calls("POST", "/api/v2/" + kind + "s/create_or_update").stream()
                .filter(c -> c.status() == 200 || c.status() == 201)
                .filter(c -> externalId.equals(
                        c.body().path(kind).path("external_id").asText()))
                .sorted(Comparator.comparing(RecordedCall::at))
                .map(c -> c.body().path(kind))
                .toList();
    }
}
