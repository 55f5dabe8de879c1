package dev.crmsync.marketing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.Optional;
import java.util.Set;

/**
 * Marketing on Mailchimp: {@code contact.upserted} → the audience member of the contact's e-mail
 * ({@code PUT} on its subscriber hash); {@code contact.deleted} → that member archived ({@code DELETE}).
 *
 * <p>The record's mapping keeps the subscriber hash it last wrote ({@code externalId}). When the
 * e-mail changes, the new member is written first and the old one archived after, so the person is
 * never missing from the audience and not left in it twice. A {@code PUT} on a hash sets the same
 * state however often it is sent, and an archive of an archived member is a 404 read as done: every
 * retry, after a crash or a redrive, repeats the same calls with the same effect, so no
 * idempotency key is needed (Mailchimp has none).
 */
public final class MailchimpConnector implements Connector {
    public static final String INTEGRATION = "marketing";
    /** The audience: {@code CRM_SYNC_OPTION_LIST_ID}, set by the stack. */
    public static final String LIST_ID_OPTION = "LIST_ID";

    private final MailchimpClient mailchimp;
    private final ObjectMapper json = new ObjectMapper();
    private final Optional<String> listId;

    public MailchimpConnector(ConnectorSettings settings) {
        this.mailchimp = new MailchimpClient(settings.vendorUrl(), settings.httpClient(), json);
        this.listId = settings.option(LIST_ID_OPTION);
    }

    @Override
    public String integration() {
        return INTEGRATION;
    }

    @Override
    public Operation plan(CrmEvent event) {
        return switch (event.detailType()) {
            case "contact.upserted", "contact.deleted" -> new Operation.SyncRecord("contact", event.recordId());
            default -> new Operation.Unsupported("marketing handles contact.upserted and contact.deleted, not " + event.detailType());
        };
    }

    @Override
    public SyncResult apply(SyncRequest request) {
        if (request.operation() instanceof Operation.Unsupported u) {
            return SyncResult.permanent("unsupported_detail_type", u.reason());
        }
        if (listId.isEmpty()) {
            return SyncResult.permanent("configuration", "no audience: CRM_SYNC_OPTION_" + LIST_ID_OPTION
                    + " is not set (deploy with the marketing list id, then redrive)");
        }
        try {
            return request.event().detailType().equals("contact.deleted") ? archiveContact(request) : upsertMember(request);
        } catch (VendorHttp.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }

    private SyncResult upsertMember(SyncRequest request) throws VendorHttp.CallFailed {
        CrmEvent contact = request.event();
        String email = contact.text("email");
        if (email == null || email.isBlank()) {
            return new SyncResult.NotApplicable("contact " + contact.recordId() + " has no e-mail: an audience member needs one");
        }
        String hash = MemberMapping.subscriberHash(email.strip());
        mailchimp.send("PUT", memberPath(hash), MemberMapping.memberBody(contact, json), request.credentials(),
                request.calls(), Set.of());
        Optional<String> previous = request.externalId().filter(old -> !old.equals(hash));
        if (previous.isPresent()) {
            // The e-mail changed: the member of the old address goes, or the person is in the audience twice.
            archive(previous.get(), request);
        }
        return new SyncResult.Applied(hash);
    }

    private SyncResult archiveContact(SyncRequest request) throws VendorHttp.CallFailed {
        // The hash we last wrote; a contact never synced may still name its e-mail in the deleted event's data.
        Optional<String> hash = request.externalId().or(() -> Optional.ofNullable(request.event().text("email"))
                .filter(e -> !e.isBlank()).map(e -> MemberMapping.subscriberHash(e.strip())));
        if (hash.isEmpty()) {
            return new SyncResult.NotApplicable("contact " + request.event().recordId()
                    + " was never written to Mailchimp and its deletion names no e-mail: no member to archive");
        }
        archive(hash.get(), request);
        return new SyncResult.Applied(hash.get());
    }

    /** DELETE archives the member; 404 means it is not there (any more): the archive is done. */
    private void archive(String hash, SyncRequest request) throws VendorHttp.CallFailed {
        mailchimp.send("DELETE", memberPath(hash), null, request.credentials(), request.calls(), Set.of(404));
    }

    private String memberPath(String hash) {
        return "3.0/lists/" + listId.orElseThrow() + "/members/" + hash;
    }
}
