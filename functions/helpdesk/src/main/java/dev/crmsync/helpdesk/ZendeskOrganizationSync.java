package dev.crmsync.helpdesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crmsync.contract.ErrorClass;
import dev.crmsync.synccore.connector.SyncFailure;
import dev.crmsync.synccore.connector.SyncRequest;
import dev.crmsync.synccore.connector.SyncResult;
import dev.crmsync.synccore.connector.VendorHttp;
import java.util.List;
import java.util.Optional;

/** A CRM account's Zendesk organization: {@code account.upserted} and {@code account.deleted}. */
final class ZendeskOrganizationSync extends ZendeskObjectSync {
    ZendeskOrganizationSync(ZendeskClient zendesk) {
        super(zendesk, ZendeskObject.ORGANIZATION);
    }

    @Override
    SyncResult upsert(SyncRequest request) throws VendorHttp.CallFailed {
        return write(request, ZendeskMapping.organization(request.event()));
    }

    /**
     * Adopts the organization by name. The account's name is taken by an organization that is not
     * matched by its external_id: one an agent made by hand before the first sync. One without an
     * external_id is adopted — updated by id with this record's state and external_id, so the next
     * {@code create_or_update} matches it.
     * One with another external_id belongs to another record (two CRM accounts with one name, which
     * Zendesk cannot hold): a permanent {@code name_conflict} naming it, never an overwrite.
     */
    @Override
    ZendeskClient.Answer whenNameTaken(
            SyncRequest request, ObjectNode body, List<String> personal, ZendeskErrors.NameTaken taken)
            throws VendorHttp.CallFailed {
        // Zendesk trims surrounding whitespace before its uniqueness check and compares without case
        String name = body.path("organization").path("name").asText("").strip();
        List<JsonNode> named = zendesk.organizationsNamed(name, request.credentials(), request.calls()).stream()
                .filter(org -> org.path("name").asText("").strip().equalsIgnoreCase(name))
                .toList();
        Optional<JsonNode> unclaimed = named.stream()
                .filter(org -> org.path("external_id").asText("").isEmpty())
                .findFirst();
        if (unclaimed.isPresent()) {
            return zendesk.put(
                    ZendeskObject.ORGANIZATION.path(unclaimed.get().path("id").asText()),
                    body,
                    request.credentials(),
                    request.calls(),
                    personal);
        }
        if (named.isEmpty()) {
            // taken a moment ago and gone again, or not found by name yet: the next attempt tries again
            throw new VendorHttp.CallFailed(new SyncFailure.Retryable(
                    ErrorClass.CONFLICT,
                    taken.failure().reason() + " — and no organization of that name was found to adopt"));
        }
        throw new VendorHttp.CallFailed(new SyncFailure.Permanent(
                ErrorClass.NAME_CONFLICT,
                "the organization name is taken in Zendesk by organization "
                        + named.getFirst().path("id").asText() + ", which belongs to external_id "
                        + named.getFirst().path("external_id").asText()
                        + " (another CRM account with the same name, or one linked by hand): Zendesk names are "
                        + "unique; rename one of the"
                        + " accounts in the CRM, or change that organization's External ID in Zendesk, then redrive"));
    }
}
