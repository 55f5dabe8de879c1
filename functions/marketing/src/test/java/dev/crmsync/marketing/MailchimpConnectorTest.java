package dev.crmsync.marketing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import dev.crmsync.synccore.connector.CallBudget;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.event.CrmEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector alone against the Mailchimp sandbox, for what the pipeline cannot deliver to it
 * today (a contact without an e-mail: the contract's schema refuses it first) and for its settings.
 */
class MailchimpConnectorTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final MailchimpSandbox mailchimp = MailchimpSandbox.shared();

    @BeforeEach
    void reset() {
        mailchimp.reset();
        mailchimp.acceptApiKeys(MarketingHarness.API_KEY).createList(MarketingHarness.LIST_ID);
    }

    private MailchimpConnector connector(Map<String, String> options) {
        return new MailchimpConnector(
                new ConnectorSettings(Optional.of(URI.create(mailchimp.baseUrl())), HTTP, options));
    }

    private static SyncRequest request(String detailType, ObjectNode data, Optional<String> externalId) {
        CrmEvent event = new CrmEvent("evt-1", detailType, "contact", "003X", 2, Instant.now(), "crm", List.of(), data);
        return new SyncRequest(
                event,
                new Operation.SyncRecord("contact", "003X"),
                externalId,
                Map.of(),
                false,
                0,
                Map.of(),
                new Credentials(Map.of("apiKey", MarketingHarness.API_KEY)),
                new CallBudget(Instant.now().plusSeconds(10), Duration.ofSeconds(2), Clock.systemUTC()));
    }

    @Test
    void aContactWithoutAnEmailIsNotApplicableWithItsReasonAndNothingIsSent() {
        SyncResult result = connector(Map.of("LIST_ID", MarketingHarness.LIST_ID))
                .apply(request(
                        "contact.upserted",
                        new ObjectMapper().createObjectNode().put("firstName", "No mail"),
                        Optional.empty()));

        assertThat(result)
                .isInstanceOfSatisfying(
                        SyncResult.NotApplicable.class,
                        n -> assertThat(n.reason()).contains("003X").contains("no e-mail"));
        assertThat(mailchimp.calls()).isEmpty();
    }

    @Test
    void withoutAnAudienceOptionEveryChangeFailsPermanentlyNamingTheVariable() {
        SyncResult result = connector(Map.of())
                .apply(request(
                        "contact.upserted",
                        new ObjectMapper().createObjectNode().put("email", "a@b.example"),
                        Optional.empty()));

        assertThat(result).isInstanceOfSatisfying(SyncResult.Failed.class, f -> {
            assertThat(f.failure()).isInstanceOf(SyncFailure.Permanent.class);
            assertThat(f.failure().reason()).contains("CRM_SYNC_OPTION_LIST_ID");
        });
        assertThat(mailchimp.calls()).isEmpty();
    }

    @Test
    void theDataCentreComesFromTheKeysSuffixAndAKeyWithoutOneIsNotSent() {
        MailchimpConnector real =
                new MailchimpConnector(new ConnectorSettings(Optional.empty(), HTTP, Map.of("LIST_ID", "l1")));
        SyncRequest noSuffix = request(
                        "contact.upserted",
                        new ObjectMapper().createObjectNode().put("email", "a@b.example"),
                        Optional.empty())
                .withCredentials(new Credentials(Map.of("apiKey", "0123456789abcdef0123456789abcdef")));

        SyncResult result = real.apply(noSuffix);

        assertThat(result).isInstanceOfSatisfying(SyncResult.Failed.class, f -> {
            assertThat(f.failure()).isInstanceOf(SyncFailure.Unauthorized.class);
            assertThat(f.failure().reason()).contains("data centre").doesNotContain("0123456789abcdef");
        });
    }
}
