package dev.crmsync.marketing;

import static dev.crmsync.marketing.MarketingHarness.LIST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.mailchimp.MailchimpSandbox;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first sync into an audience that already holds members added by hand: the CRM's contact of
 * the same e-mail is that member (one per address), its merge fields take the CRM's values, and its
 * status stays Mailchimp's — a person who unsubscribed is not subscribed again by the CRM's consent.
 */
class MarketingFirstSyncTest {
    private final MailchimpSandbox mailchimp = MailchimpSandbox.shared();

    @RegisterExtension
    final LocalDeployment<MarketingHarness> local =
            LocalDeployment.of(mailchimp, () -> new MarketingHarness(mailchimp, 5, 30));

    @Test
    void membersAddedByHandAreUpdatedInPlaceAndAnUnsubscribeStays() {
        mailchimp
                .memberByHand(
                        LIST_ID, "Gone@B.example", "unsubscribed", Map.of("FNAME", "G.", "LNAME", "Old", "PHONE", ""))
                .memberByHand(
                        LIST_ID,
                        "kept@b.example",
                        "subscribed",
                        Map.of("FNAME", "Kay", "LNAME", "Imported", "PHONE", "555", "MMERGE5", "VIP"));
        String gone = SampleEvents.unique("003");
        String kept = SampleEvents.unique("003");

        local.harness().send(MarketingHarness.upserted(gone, 1, data -> {
            data.put("email", "gone@b.example");
            data.put("firstName", "Gina");
            data.put("lastName", "Gone");
            data.put("marketingConsent", "subscribed");
        }));
        local.harness().send(MarketingHarness.upserted(kept, 1, data -> {
            data.put("email", "kept@b.example");
            data.put("firstName", "Kay");
            data.put("lastName", "Keeper");
            data.remove("phone");
            data.put("marketingConsent", "pending");
        }));
        local.esm().drain(Duration.ofSeconds(20));

        assertThat(mailchimp.members()).hasSize(2);
        assertThat(mailchimp.member(LIST_ID, "gone@b.example")).get().satisfies(m -> {
            assertThat(m.status()).isEqualTo("unsubscribed");
            assertThat(m.mergeFields()).containsEntry("FNAME", "Gina").containsEntry("LNAME", "Gone");
        });
        assertThat(mailchimp.member(LIST_ID, "kept@b.example")).get().satisfies(m -> {
            assertThat(m.status()).isEqualTo("subscribed");
            // the CRM's fields win, a field the CRM does not map stays as the person entered it
            assertThat(m.mergeFields())
                    .containsEntry("LNAME", "Keeper")
                    .containsEntry("PHONE", "")
                    .containsEntry("MMERGE5", "VIP");
        });
        assertThat(local.harness().contactItem(gone).get("externalId").s())
                .isEqualTo(MarketingHarness.hash("gone@b.example"));
        assertThat(local.harness().contactItem(kept).get("externalId").s())
                .isEqualTo(MarketingHarness.hash("kept@b.example"));
        assertThat(local.harness().dlqMessages()).isEmpty();
    }
}
