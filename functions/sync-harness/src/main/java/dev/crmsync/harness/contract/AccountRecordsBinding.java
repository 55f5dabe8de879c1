package dev.crmsync.harness.contract;

import dev.crmsync.harness.SampleEvents;

/**
 * A {@link RecordSyncBinding} of an integration that syncs CRM accounts: the record items' kind, new
 * account ids and the upserts (labelled by the account's name) are the same for every such
 * integration; it says only how its vendor holds and writes them.
 */
public interface AccountRecordsBinding extends RecordSyncBinding {

    @Override
    default String object() {
        return "account";
    }

    @Override
    default String newRecordId() {
        return SampleEvents.unique("001");
    }

    /** {@link SampleEvents#accountUpserted}: the account's name is the label. */
    @Override
    default String upserted(String recordId, long version, String label) {
        return SampleEvents.accountUpserted(recordId, version, label);
    }
}
