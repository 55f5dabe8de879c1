package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Zendesk object one CRM record maps to, of one {@link ZendeskObject} kind: written by
 * {@code create_or_update} keyed by the record's {@code external_id}, moved from before the
 * case-distinct encoding, and deleted with whatever else carries its {@code external_id}. What
 * differs between organizations and users — the refusals {@code create_or_update} answers, staff
 * users — is each kind's subclass's.
 */
abstract class ZendeskObjectSync {
    /**
     * The record item's note of the external_id the object carries; its absence marks a mapping from before the
     * case-distinct encoding.
     */
    static final String WRITTEN_EXTERNAL_ID = "zendeskExternalId";
    /** Search-and-delete rounds before a delete that keeps finding objects is retried later. */
    private static final int DELETE_ROUNDS = 3;

    final ZendeskClient zendesk;
    private final ZendeskObject kind;

    ZendeskObjectSync(ZendeskClient zendesk, ZendeskObject kind) {
        this.zendesk = zendesk;
        this.kind = kind;
    }

    /** The record's {@code .upserted}: its object created or brought to the record's state. */
    abstract SyncResult upsert(SyncRequest request) throws VendorHttp.CallFailed;

    /** {@code create_or_update} of {@code body}, once. */
    final ZendeskClient.Answer createOrUpdate(SyncRequest request, ObjectNode body, List<String> personal)
            throws VendorHttp.CallFailed {
        return zendesk.post(
                kind.collectionPath() + "/create_or_update", body, request.credentials(), request.calls(), personal);
    }

    /**
     * The answer to a {@code create_or_update} refused because the name is taken: the refusal, unless the kind
     * resolves it.
     */
    ZendeskClient.Answer whenNameTaken(
            SyncRequest request, ObjectNode body, List<String> personal, ZendeskErrors.NameTaken taken)
            throws VendorHttp.CallFailed {
        throw taken;
    }

    /**
     * The answer to a {@code create_or_update} refused because another object holds the external_id: the refusal,
     * unless the kind resolves it.
     */
    ZendeskClient.Answer whenExternalIdTaken(
            SyncRequest request, ObjectNode body, List<String> personal, ZendeskErrors.ExternalIdTaken taken)
            throws VendorHttp.CallFailed {
        throw taken;
    }

    /** Why the object a write answered with must not be mapped to the record, if it must not. */
    Optional<SyncResult> refusalOfWritten(JsonNode object) {
        return Optional.empty();
    }

    /**
     * The record item's notes of what the write sent, beyond its external_id; written once the object is the record's.
     */
    Map<String, String> notesAfterWrite(SyncRequest request, JsonNode object) throws VendorHttp.CallFailed {
        return Map.of();
    }

    /** Why none of the objects that carry the record's external_id may be deleted, if none may. */
    Optional<SyncResult> refusalToDelete(List<JsonNode> found) {
        return Optional.empty();
    }

    /**
     * {@code create_or_update}, matched on the record's {@code external_id} — except for the one
     * write that moves an object created before the case-distinct encoding to its new
     * {@code external_id}: {@code create_or_update} can no longer match it, so it is found by the
     * id the record item stores and updated there by {@code PUT}.
     */
    final SyncResult write(SyncRequest request, ObjectNode body) throws VendorHttp.CallFailed {
        String externalId = ZendeskMapping.externalId(request.event().recordId());
        List<String> personal = ZendeskMapping.personalValues(request.event());
        Optional<ZendeskClient.Answer> moved = moveObjectFromBeforeTheEncoding(request, body, personal);
        ZendeskClient.Answer answer;
        if (moved.isPresent()) {
            answer = moved.get();
        } else {
            try {
                answer = createOrUpdate(request, body, personal);
            } catch (ZendeskErrors.NameTaken taken) {
                answer = whenNameTaken(request, body, personal, taken);
            } catch (ZendeskErrors.ExternalIdTaken taken) {
                answer = whenExternalIdTaken(request, body, personal, taken);
            }
        }
        JsonNode object = answer.body().path(kind.key());
        String id = object.path("id").asText();
        if (id.isEmpty()) {
            return SyncResult.retryable(ErrorClass.VENDOR_5XX, "Zendesk answered without the " + kind.key() + "'s id");
        }
        Optional<SyncResult> refused = refusalOfWritten(object);
        if (refused.isPresent()) {
            return refused.get();
        }
        Map<String, String> written = new HashMap<>(Map.of(WRITTEN_EXTERNAL_ID, externalId));
        written.putAll(notesAfterWrite(request, object));
        Optional<SyncResult.Remapped> remapped = request.externalId()
                .filter(previous -> !previous.equals(id))
                .map(previous -> new SyncResult.Remapped(
                        previous,
                        kind.key() + " " + previous + " no longer matched external_id " + externalId
                                + " (deleted in Zendesk, or another record's); Zendesk created " + id));
        return new SyncResult.Applied(id, Map.copyOf(written), 0, remapped);
    }

    /**
     * Deletes what the record maps to now. The stored object first; when Zendesk says it is gone
     * ({@code RecordNotFound}: deleted by hand), or the record was never mapped (an attempt may have
     * created it without committing), or the stored object is not this record's, whatever carries
     * the record's {@code external_id} is deleted: a retry whose commit this delete overtook may
     * have made a replacement. Done only when nothing is left under that {@code external_id}.
     */
    final SyncResult delete(SyncRequest request) throws VendorHttp.CallFailed {
        String externalId = ZendeskMapping.externalId(request.event().recordId());
        Optional<String> stored = mappedBeforeTheEncoding(request)
                        && ownExternalIdOfStoredObject(request).isEmpty()
                ? Optional.empty()
                : request.externalId();
        if (stored.isPresent()) {
            Optional<SyncResult> done = deleteStored(request, stored.get(), externalId);
            if (done.isPresent()) {
                return done.get();
            }
        }
        Optional<String> lastDeleted = Optional.empty();
        for (int round = 0; round < DELETE_ROUNDS; round++) {
            List<JsonNode> found = zendesk.findByExternalId(kind, externalId, request.credentials(), request.calls());
            if (found.isEmpty()) {
                Optional<String> gone = lastDeleted.or(() -> stored);
                return gone.isPresent()
                        ? deleted(gone.get(), externalId)
                        : new SyncResult.NotApplicable(
                                "no Zendesk " + kind.key() + " has external_id " + externalId + ": nothing to delete");
            }
            Optional<SyncResult> refused = refusalToDelete(found);
            if (refused.isPresent()) {
                return refused.get();
            }
            for (String id :
                    found.stream().map(object -> object.path("id").asText()).toList()) {
                try {
                    zendesk.delete(kind.path(id), request.credentials(), request.calls());
                } catch (ZendeskErrors.RecordNotFound goneMeanwhile) {
                    // the state we want
                }
                lastDeleted = Optional.of(id);
            }
        }
        return SyncResult.retryable(
                ErrorClass.CONFLICT,
                "Zendesk still lists a " + kind.key() + " with external_id " + externalId + " after " + DELETE_ROUNDS
                        + " rounds of deletes (something keeps creating it?)");
    }

    /**
     * Deletes the stored object: the delete's result, or empty when Zendesk says the object is gone
     * and whatever carries the external_id is to be deleted instead. A kind overrides it to look at
     * the object first.
     */
    Optional<SyncResult> deleteStored(SyncRequest request, String storedId, String externalId)
            throws VendorHttp.CallFailed {
        try {
            zendesk.delete(kind.path(storedId), request.credentials(), request.calls());
            return Optional.of(deleted(storedId, externalId));
        } catch (ZendeskErrors.RecordNotFound goneByHand) {
            // the stored id is stale; a replacement may carry the external id
            return Optional.empty();
        }
    }

    private static SyncResult deleted(String id, String externalId) {
        return new SyncResult.Applied(id, Map.of("deleted", "true", WRITTEN_EXTERNAL_ID, externalId));
    }

    /**
     * The {@code PUT} of the stored object, when the record was mapped before the encoding, its id
     * has upper-case letters (so its form changed) and the object still carries exactly its id.
     */
    private Optional<ZendeskClient.Answer> moveObjectFromBeforeTheEncoding(
            SyncRequest request, ObjectNode body, List<String> personal) throws VendorHttp.CallFailed {
        String recordId = request.event().recordId();
        if (!mappedBeforeTheEncoding(request)
                || ZendeskMapping.externalId(recordId).equals(recordId)
                || ownExternalIdOfStoredObject(request).filter(recordId::equals).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(zendesk.put(
                    kind.path(request.externalId().orElseThrow()),
                    body,
                    request.credentials(),
                    request.calls(),
                    personal));
        } catch (ZendeskErrors.RecordNotFound goneMeanwhile) {
            // deleted since we looked: create_or_update makes a new one, as for any object deleted by hand
            return Optional.empty();
        }
    }

    /**
     * The record item names an object but not the external_id written to it: committed before the case-distinct
     * encoding.
     */
    private static boolean mappedBeforeTheEncoding(SyncRequest request) {
        return request.externalId().isPresent() && !request.externalIds().containsKey(WRITTEN_EXTERNAL_ID);
    }

    /**
     * The {@code external_id} the stored object carries, when it is this record's: exactly its CRM
     * id (written before the encoding) or its encoded form. Empty when the object is gone
     * (soft-deleted users included) or carries another id: two records whose ids differ only in
     * case may both have been mapped to one object before the encoding, and only the one whose id
     * the object carries may change or delete it.
     */
    private Optional<String> ownExternalIdOfStoredObject(SyncRequest request) throws VendorHttp.CallFailed {
        String recordId = request.event().recordId();
        String externalId = ZendeskMapping.externalId(recordId);
        return zendesk.show(kind, request.externalId().orElseThrow(), request.credentials(), request.calls())
                .filter(object -> object.path("active").asBoolean(true))
                .map(object -> object.path("external_id").asText(""))
                .filter(written -> written.equals(recordId) || written.equals(externalId));
    }
}
