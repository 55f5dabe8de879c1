package dev.crmsync.harness.contract;

import dev.crmsync.harness.IntegrationHarness;
import dev.crmsync.sandbox.VendorSandbox;
import java.util.List;
import java.util.Optional;

/**
 * What a record-syncing integration tells {@link RecordSyncContract} about itself: how to deploy it,
 * how to make its events, and how to read its vendor's state and request log from the sandbox. A
 * record's synced state carries a label (a name, a first name) by which the suite tells versions apart.
 */
public interface RecordSyncBinding {

    /** The vendor's sandbox; the suite resets it before every test. */
    VendorSandbox<?> vendor();

    /** A fresh deployment of the integration on the local servers, wired to {@link #vendor}. */
    IntegrationHarness deploy(int maxReceiveCount, int queueVisibilitySeconds);

    /** The CRM object the integration syncs ({@code account}, {@code contact}): its record items' kind. */
    String object();

    /** A CRM record id never used before. */
    String newRecordId();

    /**
     * An upsert of {@code recordId} at {@code version} (event id {@code evt-<record>-v<version>}) whose state carries
     * {@code label}.
     */
    String upserted(String recordId, long version, String label);

    /**
     * The method and path (a regular expression) of every vendor call that writes a record's state: where faults are
     * injected.
     */
    VendorCall stateWrite();

    /** The labels carried by the state writes the vendor executed (not replayed), in the order it received them. */
    List<String> labelsWritten();

    /**
     * The label of the state the vendor holds now for {@code recordId}, read from the vendor's objects; empty when it
     * holds none.
     */
    Optional<String> labelHeld(IntegrationHarness harness, String recordId);

    /**
     * How many live objects the vendor holds that belong to a CRM record: one per record synced, whatever the faults.
     */
    int objectsHeld();

    /**
     * Makes the vendor refuse the next {@code times} state writes for good, as it answers a request it will never
     * accept.
     */
    void refuseNextWrites(int times);

    /** The vendor's key, secret, rate-limit answer and what the connector calls the refusal above. */
    VendorProfile profile();
}
