package dev.crmsync.localrun;

/**
 * Where one message ended.
 *
 * @param kind   applied, skipped, in the DLQ, or still waiting in the queue
 * @param detail the vendor id (applied), the skip reason (skipped), the status item's error class and reason (DLQ)
 */
record Ending(Kind kind, String detail) {
    enum Kind {
        APPLIED,
        SKIPPED,
        DEAD_LETTER,
        WAITING
    }
}
