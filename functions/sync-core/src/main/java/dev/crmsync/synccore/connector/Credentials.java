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
     * The named value; fails with the name only (never a value) when it is missing or unusable.
     * A control character (a pasted line break) would make the HTTP client reject the header
     * with a message quoting the whole value, so it is refused here first.
     */
    public String require(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the integration secret has no '" + name + "' value");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalStateException("the integration secret's '" + name + "' value contains a control character (a line break?)");
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
}
