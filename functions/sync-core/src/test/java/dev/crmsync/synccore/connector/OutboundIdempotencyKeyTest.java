package dev.crmsync.synccore.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutboundIdempotencyKeyTest {
    @Test
    void generationZeroKeepsTheKeysSentBeforeGenerationsExisted() {
        assertThat(OutboundIdempotencyKey.of("billing", "invoice", "006A", 0)).isEqualTo("billing:invoice:006A");
        assertThat(OutboundIdempotencyKey.of("billing", "invoice", "006A")).isEqualTo("billing:invoice:006A");
        assertThat(OutboundIdempotencyKey.ofVersion("billing", "customer-update", "001A", 17, 0))
                .isEqualTo("billing:customer-update:001A:v17");
    }

    @Test
    void laterGenerationsEndInTheirNumber() {
        assertThat(OutboundIdempotencyKey.of("billing", "customer-create", "001A", 1))
                .isEqualTo("billing:customer-create:001A:g1");
        assertThat(OutboundIdempotencyKey.ofVersion("billing", "customer-update", "001A", 17, 2))
                .isEqualTo("billing:customer-update:001A:v17:g2");
    }

    @Test
    void longKeysOfDifferentGenerationsStayDifferentAndWithinTheLimit() {
        String longId = "x".repeat(300);
        String g0 = OutboundIdempotencyKey.of("billing", "invoice", longId, 0);
        String g1 = OutboundIdempotencyKey.of("billing", "invoice", longId, 1);
        assertThat(g0).hasSize(255);
        assertThat(g1).hasSize(255).isNotEqualTo(g0);
    }

    @Test
    void aNegativeGenerationIsABug() {
        assertThatThrownBy(() -> OutboundIdempotencyKey.of("billing", "invoice", "006A", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
