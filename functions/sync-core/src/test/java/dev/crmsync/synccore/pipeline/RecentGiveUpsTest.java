package dev.crmsync.synccore.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Which receives a container refuses from memory because the message gave up moments ago. */
class RecentGiveUpsTest {
    private static final Instant GAVE_UP = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant FIRST_RECEIVED = GAVE_UP.minusSeconds(40);

    private static RecentGiveUps gaveUpOnReceive3() {
        RecentGiveUps memory = new RecentGiveUps(Clock.fixed(GAVE_UP, ZoneOffset.UTC), Duration.ofMinutes(5));
        memory.remember(new Delivery("m1", 3, FIRST_RECEIVED), "vendor_5xx");
        return memory;
    }

    @Test
    void theLaterReceivesOfTheMessageThatGaveUpAreRefused() {
        assertThat(gaveUpOnReceive3().of(new Delivery("m1", 4, FIRST_RECEIVED))).contains("vendor_5xx");
        assertThat(gaveUpOnReceive3().of(new Delivery("m1", 3, FIRST_RECEIVED))).isEmpty();
        assertThat(gaveUpOnReceive3().of(new Delivery("m2", 4, FIRST_RECEIVED))).isEmpty();
    }

    @Test
    void aRedriveThatKeptTheMessageIdIsTriedAgainOnEveryReceive() {
        // ElasticMQ's move task keeps the id and starts the count and the first receive again
        for (int receive = 1; receive <= 6; receive++) {
            assertThat(gaveUpOnReceive3().of(new Delivery("m1", receive, GAVE_UP.plusSeconds(5))))
                    .as("receive " + receive)
                    .isEmpty();
        }
    }
}
