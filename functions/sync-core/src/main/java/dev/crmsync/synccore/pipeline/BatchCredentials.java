package dev.crmsync.synccore.pipeline;

import dev.crmsync.synccore.connector.Credentials;
import dev.crmsync.synccore.secrets.IntegrationSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The integration's credentials for one batch: read at most once, and only if some record gets as
 * far as the vendor. After the vendor rejects them, the secret is re-read once for the whole batch,
 * and every record that starts afterwards uses the new value; when that is rejected too, the rest
 * of the batch fails at once instead of calling the vendor with a key known to be bad.
 *
 * <p>It also redacts: every value it handed out is removed from text that may have quoted one.
 */
final class BatchCredentials {
    private final IntegrationSecret secret;
    private final List<Credentials> seen = new ArrayList<>();
    private Credentials current;
    private Credentials rejectedForGood;

    BatchCredentials(IntegrationSecret secret) {
        this.secret = secret;
    }

    synchronized Credentials current() {
        if (current == null) {
            current = remember(secret.current());
        }
        return current;
    }

    /** The credentials to try after the vendor rejected {@code rejected}: refreshed once per batch. */
    synchronized Credentials afterRejection(Credentials rejected) {
        if (current != null && !current.equals(rejected)) {
            return current;
        }
        current = remember(secret.refreshAfterRejection(rejected));
        return current;
    }

    /** The vendor rejected the refreshed credentials too: no other record of this batch will try them. */
    synchronized void rejectedForGood(Credentials credentials) {
        rejectedForGood = credentials;
    }

    /** Set when the vendor rejected the batch's current credentials even after a re-read. */
    synchronized Optional<Credentials> knownRejected() {
        return Optional.ofNullable(rejectedForGood).filter(c -> c.equals(current));
    }

    synchronized String redact(String text) {
        String redacted = text;
        for (Credentials credentials : seen) {
            redacted = credentials.redact(redacted);
        }
        return redacted;
    }

    private Credentials remember(Credentials credentials) {
        seen.add(credentials);
        return credentials;
    }
}
