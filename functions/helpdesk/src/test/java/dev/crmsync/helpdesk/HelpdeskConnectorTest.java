package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmsync.synccore.connector.ConnectorSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which Zendesk account the connector writes to: the per-deployment subdomain, or the local override. No servers. */
class HelpdeskConnectorTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theSubdomainOptionNamesTheZendeskAccount() {
        var connector =
                new ZendeskConnector(new ConnectorSettings(Optional.empty(), HTTP, Map.of("SUBDOMAIN", " Acme-EU ")));

        assertThat(connector.baseUrl()).isEqualTo(URI.create("https://acme-eu.zendesk.com/"));
    }

    @Test
    void theVendorUrlOverridesTheSubdomainForLocalRuns() {
        var connector = new ZendeskConnector(new ConnectorSettings(
                Optional.of(URI.create("http://127.0.0.1:8089")), HTTP, Map.of("SUBDOMAIN", "acme")));

        assertThat(connector.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8089/"));
    }

    @Test
    void aMissingSubdomainIsAConfigurationErrorNamingTheVariable() {
        assertThatThrownBy(() -> new ZendeskConnector(new ConnectorSettings(Optional.empty(), HTTP, Map.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CRM_SYNC_OPTION_SUBDOMAIN");
    }

    @Test
    void aSubdomainThatIsAHostOrAUrlIsRefused() {
        for (String wrong : new String[] {"acme.zendesk.com", "https://acme.zendesk.com", "evil.example/x?"}) {
            assertThatThrownBy(() -> new ZendeskConnector(
                            new ConnectorSettings(Optional.empty(), HTTP, Map.of("SUBDOMAIN", wrong))))
                    .as(wrong)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("subdomain alone");
        }
    }
}
