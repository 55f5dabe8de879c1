package dev.crmsync.synccore.pipeline;

import java.util.function.UnaryOperator;

/**
 * Exception text made safe for a log line, a metric, a status record or an outcome: every value
 * of the integration's secret is removed (a JDK HTTP client quotes a rejected header value in its
 * message), and the text is bounded.
 */
final class Redaction {
    private static final int MAX_CHARS = 500;

    private Redaction() {}

    /** The exception's class and its redacted message, and its causes' the same way. */
    static String describe(Throwable e, BatchCredentials credentials) {
        return describe(e, credentials::redact);
    }

    /** The same with {@code redact} applied to every message (the identity where no secret was read yet). */
    static String describe(Throwable e, UnaryOperator<String> redact) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < MAX_CHARS; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" ← ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(redact.apply(t.getMessage()));
            }
        }
        return text.length() <= MAX_CHARS ? text.toString() : text.substring(0, MAX_CHARS) + "…";
    }
}
