package dev.crmsync.synccore.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The state table, by item type: the leases of record and action items ({@link RecordLeases}),
 * what an item remembers of its failures ({@link FailureNotes}), mapping reads for a batch
 * ({@link MappingReads}) and status items ({@link StatusItems}); this class holds them for the
 * pipeline and is the state package's one public entry.
 *
 * <p>The hot path: an applied record costs two single-item conditional writes (claim, commit) and
 * no transaction; a duplicate costs one failed conditional write, whose {@code ALL_OLD} image says
 * why it failed, so DynamoDB needs no read to decide (a server that returns no image costs one
 * consistent read instead: {@link ClaimRefusal}). Every request carries an API call timeout that
 * ends by {@link #endingBy}'s instant, so no SDK retry can carry a call past the time the
 * invocation has for it.
 */
public final class SyncStateStore {
    /**
     * How long a message that failed permanently is refused at once when it comes back (visibility 0,
     * only to be counted toward the DLQ), on a later receive of the same message. A redrive starts
     * the receive count again, so it is always tried again; so is anything after this memory.
     */
    public static final Duration GIVE_UP_MEMORY = Duration.ofMinutes(5);
    /**
     * How many give-ups one item remembers: the latest, by message. More messages giving up on one
     * record within {@link #GIVE_UP_MEMORY} than this is a burst no CRM sends; the oldest is then
     * forgotten, and its next receive on the way to the DLQ is tried once more (a vendor call, and
     * its give-up, status record and {@code sync.failed} event again).
     */
    public static final int GIVE_UPS_REMEMBERED = 16;
    /**
     * How many failed events one item remembers: the latest. An event forgotten here (50 newer
     * events of the record failed since, none of which was resolved) keeps its status record as it
     * was when it is later applied or skipped: {@code RETRYING} or {@code FAILED_PERMANENT}, not
     * corrected. The bound keeps the item small: every write of it costs by its size.
     */
    public static final int FAILED_EVENTS_REMEMBERED = 50;
    /**
     * This receive of a message: its id, its receive count, and when SQS first handed it out
     * ({@code ApproximateFirstReceiveTimestamp}). A give-up noted before the message was first
     * received belongs to another message under the same id: SQS gives a redriven message a new id,
     * but a server that keeps the id (ElasticMQ's move task does) starts its count and first receive
     * again, and the redrive must be tried, not refused.
     */
    public record Receipt(String messageId, int receiveCount, Instant firstReceivedAt) {}

    /**
     * What a commit stores.
     *
     * @param externalId null to keep the mapping as it is (a version handled with nothing sent)
     * @param liveKeys   the record's live vendor keys from now on (stored with the mapping; empty removes them)
     */
    public record Applied(String externalId, Map<String, String> externalIds, int keyGeneration, Set<String> liveKeys) {
        public Applied(String externalId, Map<String, String> externalIds, int keyGeneration) {
            this(externalId, externalIds, keyGeneration, Set.of());
        }
    }

    private final StateTable table;
    private final Duration statusTtl;
    private final FailureNotes notes;
    private final RecordLeases leases;
    private final MappingReads mappings;
    private final StatusItems statuses;

    public SyncStateStore(DynamoDbClient dynamo, String table, Clock clock, Duration statusTtl) {
        this(new StateTable(dynamo, table, clock, Optional.empty()), statusTtl);
    }

    private SyncStateStore(StateTable table, Duration statusTtl) {
        this.table = table;
        this.statusTtl = statusTtl;
        this.notes = new FailureNotes(table);
        this.leases = new RecordLeases(table, notes);
        this.mappings = new MappingReads(table);
        this.statuses = new StatusItems(table, statusTtl);
    }

    /** The same store whose every call (SDK retries included) ends by {@code instant}. */
    public SyncStateStore endingBy(Instant instant) {
        return new SyncStateStore(table.endingBy(instant), statusTtl);
    }

    /** @see RecordLeases#claimRecord(String, LeaseToken, long, Instant, Receipt) */
    public Claim claimRecord(String pk, LeaseToken token, long version, Instant leaseUntil, Receipt receipt) {
        return leases.claimRecord(pk, token, version, leaseUntil, receipt);
    }

    /** @see RecordLeases#claimRecord(String, LeaseToken, long, Instant, Receipt, Set) */
    public Claim claimRecord(
            String pk, LeaseToken token, long version, Instant leaseUntil, Receipt receipt, Set<String> vendorKeys) {
        return leases.claimRecord(pk, token, version, leaseUntil, receipt, vendorKeys);
    }

    /** @see RecordLeases#claimAction(String, LeaseToken, Instant, Receipt) */
    public Claim claimAction(String pk, LeaseToken token, Instant leaseUntil, Receipt receipt) {
        return leases.claimAction(pk, token, leaseUntil, receipt);
    }

    /** @see RecordLeases#claimAction(String, LeaseToken, Instant, Receipt, Map) */
    public Claim claimAction(
            String pk, LeaseToken token, Instant leaseUntil, Receipt receipt, Map<String, String> terms) {
        return leases.claimAction(pk, token, leaseUntil, receipt, terms);
    }

    /** @see RecordLeases#commitRecord */
    public boolean commitRecord(String pk, LeaseToken token, long version, Applied applied) {
        return leases.commitRecord(pk, token, version, applied);
    }

    /** @see RecordLeases#commitAction */
    public boolean commitAction(String pk, LeaseToken token, Applied applied) {
        return leases.commitAction(pk, token, applied);
    }

    /** @see RecordLeases#release(String, LeaseToken) */
    public void release(String pk, LeaseToken token) {
        leases.release(pk, token);
    }

    /** @see RecordLeases#release(String, LeaseToken, Optional) */
    public void release(String pk, LeaseToken token, Optional<String> resumePoint) {
        leases.release(pk, token, resumePoint);
    }

    /** @see FailureNotes#giveUp */
    public boolean giveUp(
            String pk, String eventId, Receipt receipt, String errorClass, Optional<LeaseToken> heldLease) {
        return notes.giveUp(pk, eventId, receipt, errorClass, heldLease);
    }

    /** @see FailureNotes#noteFailure */
    public void noteFailure(String pk, String eventId) {
        notes.noteFailure(pk, eventId);
    }

    /** @see FailureNotes#forgetFailure */
    public void forgetFailure(String pk, String eventId) {
        notes.forgetFailure(pk, eventId);
    }

    /** @see MappingReads#externalIds */
    public Map<String, String> externalIds(List<String> pks) {
        return mappings.externalIds(pks);
    }

    /** @see StatusItems#putStatus */
    public void putStatus(SyncStatus status) {
        statuses.putStatus(status);
    }

    /** @see StatusItems#status */
    public Optional<SyncStatus> status(String integration, String eventId) {
        return statuses.status(integration, eventId);
    }
}
