package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.VendorHttp;
import java.util.List;
import java.util.Optional;

/**
 * A CRM e-mail change, made in Zendesk: a user's {@code email} is "Writeable on create only. On
 * update, a secondary email is added" (Users API), so after {@code create_or_update} the user still
 * has the old address as its primary one and the new one as a secondary. The User Identities API
 * (https://developer.zendesk.com/api-reference/ticketing/users/user_identities/) makes the new one
 * primary and deletes the address crm-sync wrote before, so the old address no longer finds — or
 * matches in a later {@code create_or_update} — this user.
 *
 * <p>Converges under retries: the record item keeps a fingerprint of the address last written
 * ({@link ZendeskMapping#emailFingerprint}), committed only when the change is complete; an attempt
 * that stopped half-way leaves the old fingerprint, and the retry finds the old identity by it and
 * finishes. Addresses an agent added by hand are kept.
 */
final class PrimaryEmail {
    private final ZendeskClient zendesk;

    PrimaryEmail(ZendeskClient zendesk) {
        this.zendesk = zendesk;
    }

    /**
     * Makes {@code email} the primary address of {@code user} (as {@code create_or_update} answered
     * it) and deletes the address the sync wrote before. No call when the answer's primary address
     * is {@code email} and it is the address last written.
     */
    void moveTo(SyncRequest request, JsonNode user, String email) throws VendorHttp.CallFailed {
        String answered = user.path("email").asText("");
        Optional<String> written = Optional.ofNullable(request.externalIds().get(ZendeskUserSync.WRITTEN_EMAIL));
        String fingerprint = ZendeskMapping.emailFingerprint(email);
        if (answered.equalsIgnoreCase(email) && written.map(fingerprint::equals).orElse(true)) {
            return;
        }
        String userId = user.path("id").asText();
        List<JsonNode> identities = zendesk.emailIdentities(userId, request.credentials(), request.calls());
        Optional<JsonNode> existing = identities.stream()
                .filter(i -> i.path("value").asText("").equalsIgnoreCase(email))
                .findFirst();
        JsonNode current = existing.isPresent()
                ? existing.get()
                : zendesk.addEmailIdentity(userId, email, request.credentials(), request.calls());
        if (!current.path("primary").asBoolean(false)) {
            zendesk.makePrimary(userId, current.path("id").asText(), request.credentials(), request.calls());
        }
        for (JsonNode identity : identities) {
            String value = identity.path("value").asText("");
            if (!value.equalsIgnoreCase(email) && writtenBefore(request, written, value, answered)) {
                zendesk.deleteIdentity(userId, identity.path("id").asText(), request.credentials(), request.calls());
            }
        }
    }

    /**
     * The address the sync wrote before: the one of the stored fingerprint; for a record mapped
     * before fingerprints were kept, the primary address the answer showed (the sync's own user).
     * A contact new to the mapping deletes nothing: the user's other addresses are not the sync's.
     */
    private static boolean writtenBefore(SyncRequest request, Optional<String> written, String value, String answered) {
        if (written.isPresent()) {
            return written.get().equals(ZendeskMapping.emailFingerprint(value));
        }
        return request.externalId().isPresent() && value.equalsIgnoreCase(answered);
    }
}
