package dev.crmsync.synccore.connector;

import java.util.Map;
import java.util.Objects;

/**
 * An integration's secret (a JSON object of strings). Its {@link #toString()} never shows a
 * value, so it is safe in a log line or an exception message by accident.
 */
public final class Credentials {
    private final transient Map<String, String> values;

    public Credentials(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * The named value, fit to be sent in an HTTP header; fails with the name only (never a value)
     * when it is missing or unusable. The JDK's HTTP client refuses a header carrying a control
     * character (a pasted line break) or any character above U+00FF (a pasted zero-width space, a
     * typographic quote), with a message that quotes the whole header value, so such values are
     * refused here first.
     *
     * @throws UnusableValueException when the value is missing, blank or not fit for a header
     */
    public String require(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new UnusableValueException("the integration secret has no '" + name + "' value");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new UnusableValueException(
                    "the integration secret's '" + name + "' value contains a control character (a line break?)");
        }
        if (value.chars().anyMatch(c -> c > 0xff)) {
            throw new UnusableValueException("the integration secret's '" + name
                    + "' value contains a character an HTTP header cannot carry (a pasted zero-width space "
                    + "or typographic quote?)");
        }
        return value;
    }

    public String get(String name) {
        return values.get(name);
    }

    /**
     * {@code text} with every value of this secret (and its trimmed form) replaced, for any text
     * that may have picked one up — an exception message that quoted a request header.
     */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String value : values.values()) {
            for (String form : new String[] {value, value.strip()}) {
                if (form != null && form.length() >= 4) {
                    redacted = redacted.replace(form, "[redacted]");
                }
            }
        }
        return redacted;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Credentials c && values.equals(c.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return "Credentials" + values.keySet() + "(values redacted)";
    }

    /** A secret value that is missing or cannot be sent; its message names the key, never the value. */
    public static final class UnusableValueException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnusableValueException(String message) {
            super(message);
        }
    }
}
