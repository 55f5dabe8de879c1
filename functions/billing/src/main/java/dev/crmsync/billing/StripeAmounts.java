package dev.crmsync.billing;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;

/**
 * Deal amounts in Stripe's smallest currency unit. Stripe mostly follows ISO 4217's minor
 * units, with documented exceptions: its zero-decimal list (MGA among them, two decimals in ISO)
 * and ISK, which it takes with two decimals although ISO has none.
 */
final class StripeAmounts {
    /** Stripe's zero-decimal currencies. */
    private static final Set<String> ZERO_DECIMAL = Set.of(
            "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof",
            "xpf");
    /** Currencies Stripe takes with two decimals where ISO 4217 has fewer. */
    private static final Set<String> TWO_DECIMAL = Set.of("isk");

    private StripeAmounts() {}

    /** 1250.50 usd → 125050; 5000 jpy → 5000; more decimals than the currency has → ArithmeticException. */
    static long minorUnits(BigDecimal amount, String currency) {
        String code = currency.toLowerCase(Locale.ROOT);
        int digits;
        if (ZERO_DECIMAL.contains(code)) {
            digits = 0;
        } else if (TWO_DECIMAL.contains(code)) {
            digits = 2;
        } else {
            digits = Math.max(
                    0, Currency.getInstance(code.toUpperCase(Locale.ROOT)).getDefaultFractionDigits());
        }
        try {
            return amount.movePointRight(digits).longValueExact();
        } catch (ArithmeticException e) {
            throw new ArithmeticException(
                    amount.toPlainString() + " " + code + " has more decimals than Stripe allows for " + code);
        }
    }
}
