package dev.crmsync.helpdesk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmsync.harness.LocalDeployment;
import dev.crmsync.harness.SampleEvents;
import dev.crmsync.sandbox.zendesk.ZendeskSandbox;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A CRM e-mail change becomes the Zendesk user's primary address, and the old address no longer
 * finds the user — also when an attempt stopped half-way through the identity calls and was retried.
 */
class HelpdeskEmailChangeTest {
    private final ZendeskSandbox zendesk = ZendeskSandbox.shared();

    @RegisterExtension
    final LocalDeployment<HelpdeskHarness> local =
            LocalDeployment.of(zendesk, () -> new HelpdeskHarness(zendesk, 5, 30));

    private static String withEmail(String contact, long version, String email) {
        return SampleEvents.event("contact.upserted", "evt-" + contact + "-v" + version, contact, version, data -> {
            data.remove("accountId");
            data.put("email", email);
        });
    }

    private void deliver(String body) {
        local.harness().send(body);
        local.esm().drain(Duration.ofSeconds(20));
    }

    @Test
    void theNewAddressBecomesPrimaryAndTheOldOneNoLongerFindsTheUser() {
        String contact = SampleEvents.unique("003");
        String other = SampleEvents.unique("003");
        deliver(withEmail(contact, 1, "dana@old.example"));
        long user = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();

        deliver(withEmail(contact, 2, "dana@new.example"));

        assertThat(zendesk.user(user).orElseThrow().get("email").asText()).isEqualTo("dana@new.example");
        assertThat(zendesk.identities(user))
                .extracting(i -> i.get("value").asText())
                .containsExactly("dana@new.example");
        // another contact that takes the old address gets a user of its own, not this one
        deliver(withEmail(other, 1, "dana@old.example"));
        assertThat(zendesk.userByExternalId(other).orElseThrow().get("id").asLong())
                .isNotEqualTo(user);
        assertThat(zendesk.userByExternalId(contact).orElseThrow().get("id").asLong())
                .isEqualTo(user);
        assertThat(zendesk.verificationEmailsSent()).isEmpty();
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aRetryAfterTheNewAddressWasMadePrimaryStillRemovesTheOldOne() {
        String contact = SampleEvents.unique("003");
        deliver(withEmail(contact, 1, "kim@old.example"));
        long user = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        // Zendesk makes the new address primary, then answers 500: the attempt ends before the old one is deleted
        zendesk.failAfterWorkNext("PUT", "/api/v2/users/\\d+/identities/\\d+/make_primary", 1, 500);

        deliver(withEmail(contact, 2, "kim@new.example"));

        assertThat(zendesk.calls("PUT", "/api/v2/users/\\d+/identities/\\d+/make_primary"))
                .extracting(c -> c.status())
                .containsExactly(500);
        assertThat(zendesk.identities(user))
                .extracting(
                        i -> i.get("value").asText() + " " + i.get("primary").asBoolean())
                .containsExactly("kim@new.example true");
        assertThat(local.harness()
                        .recordItem("contact", contact)
                        .get("appliedVersion")
                        .n())
                .isEqualTo("2");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }

    @Test
    void aRetryAfterAFailedDeleteOfTheOldAddressFinishesIt() {
        String contact = SampleEvents.unique("003");
        deliver(withEmail(contact, 1, "lee@old.example"));
        long user = zendesk.userByExternalId(contact).orElseThrow().get("id").asLong();
        zendesk.failNext("DELETE", "/api/v2/users/\\d+/identities/\\d+", 1, 503);

        deliver(withEmail(contact, 2, "lee@new.example"));

        assertThat(zendesk.identities(user))
                .extracting(i -> i.get("value").asText())
                .containsExactly("lee@new.example");
        assertThat(zendesk.user(user).orElseThrow().get("email").asText()).isEqualTo("lee@new.example");
        assertThat(local.harness().dlqMessages()).isEmpty();
    }
}
