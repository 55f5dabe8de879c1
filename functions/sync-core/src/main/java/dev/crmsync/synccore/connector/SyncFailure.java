package dev.crmsync.synccore.connector;

import dev.crmsync.contract.ErrorClass;
import java.time.Duration;
import java.util.Optional;

/**
 * Why an operation did not succeed, classified where the cause is understood (the parser, the
 * state store, the connector reading its vendor's error body) so the pipeline never parses
 * messages to decide what to do.
 */
public sealed interface SyncFailure {
    /**
     * A short, stable class for metrics and alarms: {@code vendor_5xx}, {@code schema_invalid}, … —
     * the wire name of an {@link ErrorClass}.
     */
    String errorClass();

    /** A human-readable reason; never contains credentials. */
    String reason();

    /** Worth another try later: network, timeout, 5xx, 429, 409, record busy, a dependency not yet synced. */
    record Retryable(String errorClass, String reason, Optional<Duration> retryAfter) implements SyncFailure {
        public Retryable(String errorClass, String reason) {
            this(errorClass, reason, Optional.empty());
        }

        public Retryable(ErrorClass errorClass, String reason) {
            this(errorClass.wireName(), reason, Optional.empty());
        }

        public Retryable(ErrorClass errorClass, String reason, Optional<Duration> retryAfter) {
            this(errorClass.wireName(), reason, retryAfter);
        }
    }

    /** No retry can fix it: invalid input, a vendor 4xx. Goes to the DLQ within seconds. */
    record Permanent(String errorClass, String reason) implements SyncFailure {
        public Permanent(ErrorClass errorClass, String reason) {
            this(errorClass.wireName(), reason);
        }
    }

    /** The vendor rejected the credentials (401): the pipeline re-reads the secret once and tries again. */
    record Unauthorized(String reason) implements SyncFailure {
        @Override
        public String errorClass() {
            return ErrorClass.UNAUTHORIZED.wireName();
        }
    }
}
