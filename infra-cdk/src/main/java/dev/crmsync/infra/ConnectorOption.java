package dev.crmsync.infra;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The value of one per-deployment connector option ({@code CRM_SYNC_OPTION_<NAME>} in the
 * function's environment, read with {@code ConnectorSettings.option(NAME)}): written in the catalog,
 * or taken at synth time from a CDK context key ({@code cdk deploy -c marketingListId=…}).
 * Exactly one of {@code value} and {@code contextKey} is set.
 */
public record ConnectorOption(String value, String contextKey) {
    private static final Pattern CONTEXT_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9]{0,63}");

    public ConnectorOption {
        if ((value == null) == (contextKey == null)) {
            throw new IllegalArgumentException("a connector option is a value or a context key, exactly one of them");
        }
        if (value != null && value.isBlank()) {
            throw new IllegalArgumentException("a connector option's value must not be blank");
        }
        if (contextKey != null && !CONTEXT_KEY.matcher(contextKey).matches()) {
            throw new IllegalArgumentException("a context key must match " + CONTEXT_KEY + ": " + contextKey);
        }
    }

    /** A value written in the catalog. */
    public static ConnectorOption value(String value) {
        return new ConnectorOption(Objects.requireNonNull(value, "value"), null);
    }

    /** The value of CDK context {@code key} at synth time ({@code -c key=value} or cdk.json). */
    public static ConnectorOption fromContext(String key) {
        return new ConnectorOption(null, Objects.requireNonNull(key, "key"));
    }

    /** The value of CDK context {@code key} at synth time. */
    public static ConnectorOption fromContext(ContextKey key) {
        return fromContext(key.key());
    }
}
