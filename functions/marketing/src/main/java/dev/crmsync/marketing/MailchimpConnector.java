package dev.crmsync.marketing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.EnvVar;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.contract.IntegrationId;
import dev.crmsync.synccore.connector.Connector;
import dev.crmsync.synccore.connector.ConnectorSettings;
import dev.crmsync.synccore.connector.Operation;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import dev.crmsync.synccore.event.CrmEvent;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Marketing on Mailchimp: {@code contact.upserted} → the audience member of the contact's e-mail
 * ({@code PUT} on its subscriber hash); {@code contact.deleted} → that member archived ({@code DELETE}).
 *
 * <p>The audience's merge fields are read once per container, on the first apply ({@link AudienceFields}):
 * only tags the audience has are sent, and a list id Mailchimp does not know is a configuration
 * failure, deletes included.
 *
 * <p>The record's mapping keeps the subscriber hash it last wrote ({@code externalId}) and every
 * hash it may have written and not archived yet (its live keys): the claim of an upsert adds the
 * new address's hash before the {@code PUT}, so a member is known to its record from before it
 * exists until it is archived, whatever happens to the attempt that wrote it. When the e-mail
 * changes, the member is moved to the new address ({@code PATCH}), keeping its status; where
 * Mailchimp will not move it, the new member is written first and every other live one archived
 * after, so the person is never missing from the audience and not left in it twice; a delete
 * archives them all. A
 * newer event that overtakes the retry of a failed archive therefore finishes the job.
 *
 * <p>A {@code PUT} on a hash sets the same state however often it is sent, and an archive of an
 * archived member is a 404 read as done: every retry, after a crash or a redrive, repeats the same
 * calls with the same effect, so no idempotency key is needed (Mailchimp has none).
 */
public final class MailchimpConnector implements Connector {
    public static final String INTEGRATION = IntegrationId.MARKETING.wireName();
    /** The audience: {@code CRM_SYNC_OPTION_LIST_ID}, set by the stack. */
    public static final String LIST_ID_OPTION = EnvVar.CRM_SYNC_OPTION_LIST_ID.optionName();

    private final MailchimpClient mailchimp;
    private final ObjectMapper json = new ObjectMapper();
    private final Optional<String> listId;
    /**
     * The audience's merge fields, read on the first apply (credentials come with the request); only a successful read
     * is kept.
     */
    private volatile AudienceFields audience;

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
            // an upsert may write the member of its e-mail; a delete writes none
            case "contact.upserted" ->
                new Operation.SyncRecord(
                        "contact",
                        event.recordId(),
                        emailHash(event).map(Set::of).orElse(Set.of()));
            case "contact.deleted" -> new Operation.SyncRecord("contact", event.recordId());
            default ->
                new Operation.Unsupported(
                        "marketing handles contact.upserted and contact.deleted, not " + event.detailType());
        };
    }

    @Override
    public SyncResult apply(SyncRequest request) {
        if (request.operation() instanceof Operation.Unsupported u) {
            return SyncResult.permanent(ErrorClass.UNSUPPORTED_DETAIL_TYPE, u.reason());
        }
        if (listId.isEmpty()) {
            return SyncResult.permanent(
                    ErrorClass.CONFIGURATION,
                    "no audience: " + EnvVar.CRM_SYNC_OPTION_LIST_ID
                            + " is not set (deploy with the marketing list id, then redrive)");
        }
        try {
            return request.event().detailType().equals("contact.deleted")
                    ? archiveContact(request)
                    : upsertMember(request);
        } catch (VendorHttp.CallFailed failed) {
            return new SyncResult.Failed(failed.failure());
        }
    }

    private SyncResult upsertMember(SyncRequest request) throws VendorHttp.CallFailed {
        CrmEvent contact = request.event();
        Optional<String> emailHash = emailHash(contact);
        if (emailHash.isEmpty()) {
            return new SyncResult.NotApplicable(
                    "contact " + contact.recordId() + " has no e-mail: an audience member needs one");
        }
        Optional<AudienceFields> fields = audience(request);
        if (fields.isEmpty()) {
            return unknownList();
        }
        String hash = emailHash.get();
        String statusIfNew = MemberMapping.crmConsent(contact);
        Optional<String> previous = request.externalId().filter(old -> !old.equals(hash));
        if (previous.isPresent()) {
            Optional<String> notMoved = moveMember(previous.get(), fields.get(), request);
            if (notMoved.isEmpty()) {
                // moved: the old hash names no member any more, the other live ones still go
                archiveAllBut(Set.of(hash, previous.get()), request);
                return applied(hash);
            }
            statusIfNew = notMoved.get();
        }
        putMember(hash, MemberMapping.memberBody(contact, statusIfNew, fields.get(), json), fields.get(), request);
        // The e-mail changed (now or in an attempt that never finished): the members of the other
        // addresses go, or the person is in the audience twice.
        archiveAllBut(Set.of(hash), request);
        return applied(hash);
    }

    /**
     * Moves the member of the record's last address to the contact's new one ({@code PATCH} with the
     * new {@code email_address}): it keeps its status and history, so an unsubscribe stays. Empty
     * when moved; otherwise the {@code status_if_new} for the new address's member: the CRM's consent when
     * the old member is gone (404: deleted by hand, or moved by an attempt that never committed, whose
     * member the {@code PUT} then finds with its status), else the old member's status read back,
     * since Mailchimp moves only {@code subscribed} members and never onto an address already on the
     * list (400): the lesser consent of the two ({@link MemberMapping#carriedStatus}).
     */
    private Optional<String> moveMember(String previous, AudienceFields fields, SyncRequest request)
            throws VendorHttp.CallFailed {
        ObjectNode body = MemberMapping.moveBody(request.event(), fields, json);
        MailchimpClient.Answer patch = mailchimp.send(
                "PATCH",
                writePath(previous, body, fields),
                body,
                request.credentials(),
                request.calls(),
                Set.of(400, 404));
        if (patch.status() == 200) {
            return Optional.empty();
        }
        String crmConsent = MemberMapping.crmConsent(request.event());
        if (patch.status() == 404) {
            return Optional.of(crmConsent);
        }
        MailchimpClient.Answer old =
                mailchimp.send("GET", memberPath(previous), null, request.credentials(), request.calls(), Set.of(404));
        return Optional.of(
                old.status() == 404
                        ? crmConsent
                        : MemberMapping.carriedStatus(
                                old.body().path("status").asText(MemberMapping.ARCHIVED), crmConsent));
    }

    /**
     * PUTs the member; an archived one still exists, so status_if_new did not apply and it stayed out
     * of the audience (a contact deleted and restored, an e-mail changed back, the second contact of
     * an e-mail). Only an explicit status brings it back; Mailchimp keeps no status from before the
     * archive, so the one chosen can never undo an unsubscribe.
     */
    private void putMember(String hash, ObjectNode body, AudienceFields fields, SyncRequest request)
            throws VendorHttp.CallFailed {
        String path = writePath(hash, body, fields);
        MailchimpClient.Answer put =
                mailchimp.send("PUT", path, body, request.credentials(), request.calls(), Set.of());
        if (MemberMapping.ARCHIVED.equals(put.body().path("status").asText())) {
            mailchimp.send(
                    "PUT", path, MemberMapping.unarchiveBody(body), request.credentials(), request.calls(), Set.of());
        }
    }

    /**
     * The member's path for a write, skipping merge validation when the audience requires a field the body has no
     * value for.
     */
    private String writePath(String hash, ObjectNode body, AudienceFields fields) {
        return memberPath(hash)
                + (MemberMapping.skipsMergeValidation(body, fields) ? "?skip_merge_validation=true" : "");
    }

    /**
     * The audience's merge fields, read once per container on the first apply that needs them.
     * Empty when Mailchimp has no list of that id (not kept: the next record asks again, and fails
     * the same way until the stack is fixed). A timeout or 5xx is thrown, retried, and not kept either.
     */
    private Optional<AudienceFields> audience(SyncRequest request) throws VendorHttp.CallFailed {
        // once read, every record of the container takes it without the lock
        AudienceFields known = audience;
        return known != null ? Optional.of(known) : readAudience(request);
    }

    /** The first read, one caller at a time: the others wait for it rather than read the same fields again. */
    private synchronized Optional<AudienceFields> readAudience(SyncRequest request) throws VendorHttp.CallFailed {
        if (audience == null) {
            Optional<AudienceFields> read =
                    AudienceFields.read(mailchimp, listId.orElseThrow(), request.credentials(), request.calls());
            read.ifPresent(fields -> audience = fields);
            return read;
        }
        return Optional.of(audience);
    }

    private SyncResult unknownList() {
        return SyncResult.permanent(
                ErrorClass.CONFIGURATION,
                "Mailchimp has no audience " + listId.orElseThrow()
                        + " (GET /3.0/lists/" + listId.orElseThrow() + " → 404): " + EnvVar.CRM_SYNC_OPTION_LIST_ID
                        + " names a list this API key's account does not have; deploy with the right -c "
                        + "marketingListId=<id>, then redrive");
    }

    private void archiveAllBut(Set<String> kept, SyncRequest request) throws VendorHttp.CallFailed {
        for (String other : written(request)) {
            if (!kept.contains(other)) {
                archive(other, request);
            }
        }
    }

    private static SyncResult applied(String hash) {
        return new SyncResult.Applied(hash, Map.of(), 0, Optional.empty(), Set.of(hash));
    }

    private SyncResult archiveContact(SyncRequest request) throws VendorHttp.CallFailed {
        // Every member the record may have written; a contact never synced may still name its
        // e-mail in the deleted event's data.
        Set<String> members = written(request);
        if (members.isEmpty()) {
            emailHash(request.event()).ifPresent(members::add);
        }
        if (members.isEmpty()) {
            return new SyncResult.NotApplicable("contact " + request.event().recordId()
                    + " was never written to Mailchimp and its deletion names no e-mail: no member to archive");
        }
        // a DELETE under a wrong list id answers 404 too, which would read as "already archived"
        if (audience(request).isEmpty()) {
            return unknownList();
        }
        for (String hash : members) {
            archive(hash, request);
        }
        String mapped = request.externalId().orElse(members.iterator().next());
        return new SyncResult.Applied(mapped, Map.of(), 0, Optional.empty(), Set.of());
    }

    /**
     * The hashes of every member the record may have written and not archived: its live keys and the
     * mapped hash (a mapping from before live keys were kept has only the latter), in a fixed order.
     */
    private static Set<String> written(SyncRequest request) {
        Set<String> hashes = new TreeSet<>(request.liveKeys());
        request.externalId().ifPresent(hashes::add);
        return hashes;
    }

    private static Optional<String> emailHash(CrmEvent contact) {
        return Optional.ofNullable(contact.text("email"))
                .filter(e -> !e.isBlank())
                .map(e -> MemberMapping.subscriberHash(e.strip()));
    }

    /** DELETE archives the member; 404 means it is not there (any more): the archive is done. */
    private void archive(String hash, SyncRequest request) throws VendorHttp.CallFailed {
        mailchimp.send("DELETE", memberPath(hash), null, request.credentials(), request.calls(), Set.of(404));
    }

    private String memberPath(String hash) {
        return "3.0/lists/" + listId.orElseThrow() + "/members/" + hash;
    }
}
