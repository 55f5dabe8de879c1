package dev.crmsync.synccore.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialsTest {
    private static final String KEY = "sk_test_51Abc";

    @ParameterizedTest
    @ValueSource(strings = {"\u200b", "\u201d", "\u2019", "\ufeff", "\n", "\u007f"})
    void aValueAnHttpHeaderCannotCarryIsRefusedWithoutShowingIt(String pasted) {
        Credentials credentials = new Credentials(Map.of("apiKey", KEY + pasted + "Def"));

        assertThatThrownBy(() -> credentials.require("apiKey"))
                .isInstanceOf(Credentials.UnusableValueException.class)
                .hasMessageContaining("'apiKey'")
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("sk_test")
                        .doesNotContain("51Abc")
                        .doesNotContain("Def"));
    }

    @Test
    void latinOneAndPrintableAsciiPass() {
        // the HTTP client sends U+0080..U+00FF as single bytes; the vendor decides whether the key is right
        assertThat(new Credentials(Map.of("apiKey", KEY + "\u00a0")).require("apiKey"))
                .isEqualTo(KEY + "\u00a0");
        assertThat(new Credentials(Map.of("apiKey", KEY)).require("apiKey")).isEqualTo(KEY);
    }

    @Test
    void aMissingValueNamesOnlyTheKey() {
        assertThatThrownBy(() -> new Credentials(Map.of()).require("apiKey"))
                .isInstanceOf(Credentials.UnusableValueException.class)
                .hasMessage("the integration secret has no 'apiKey' value");
    }
}
