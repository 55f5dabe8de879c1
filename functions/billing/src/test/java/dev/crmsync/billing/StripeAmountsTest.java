package dev.crmsync.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class StripeAmountsTest {
    @Test
    void twoDecimalCurrenciesAreCents() {
        assertThat(StripeAmounts.minorUnits(new BigDecimal("1250.50"), "usd")).isEqualTo(125_050);
        assertThat(StripeAmounts.minorUnits(new BigDecimal("7"), "EUR")).isEqualTo(700);
    }

    @Test
    void stripesZeroDecimalListWinsOverIso() {
        assertThat(StripeAmounts.minorUnits(new BigDecimal("5000"), "jpy")).isEqualTo(5_000);
        // ISO 4217 gives MGA two decimals; Stripe takes it as zero-decimal
        assertThat(StripeAmounts.minorUnits(new BigDecimal("5000"), "mga")).isEqualTo(5_000);
    }

    @Test
    void iskIsSentWithTwoDecimals() {
        assertThat(StripeAmounts.minorUnits(new BigDecimal("1000"), "isk")).isEqualTo(100_000);
    }

    @Test
    void tooManyDecimalsIsRejectedNotRounded() {
        assertThatThrownBy(() -> StripeAmounts.minorUnits(new BigDecimal("10.005"), "usd"))
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("10.005 usd");
        assertThatThrownBy(() -> StripeAmounts.minorUnits(new BigDecimal("10.5"), "jpy"))
                .isInstanceOf(ArithmeticException.class);
    }
}
