package dev.crmsync.contract;

import java.util.List;

/**
 * Each integration's identity, written once: its name (part of every resource name, the value of
 * {@code CRM_SYNC_INTEGRATION}, the metric dimension {@code integration} and the {@code origin} that
 * suppresses its echoes) and the CRM detail-types its rule routes to its queue. The stack's catalog
 * and each connector read them from here.
 */
public enum IntegrationId {
    BILLING("billing", "account.upserted", "deal.closed"),
    MARKETING("marketing", "contact.upserted", "contact.deleted"),
    HELPDESK("helpdesk", "account.upserted", "account.deleted", "contact.upserted", "contact.deleted"),
    NOTIFICATIONS("notifications", "deal.closed");

    private final String wireName;
    private final List<String> detailTypes;

    IntegrationId(String wireName, String... detailTypes) {
        this.wireName = wireName;
        this.detailTypes = List.of(detailTypes);
    }

    /** {@code billing}. */
    public String wireName() {
        return wireName;
    }

    /** The CRM detail-types the integration consumes, in the catalog's order. */
    public List<String> detailTypes() {
        return detailTypes;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
