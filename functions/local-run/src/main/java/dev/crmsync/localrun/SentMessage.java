package dev.crmsync.localrun;

/**
 * One event as the bus delivered it to one integration's queue.
 *
 * @param event       the event
 * @param integration the integration whose rule routed it
 * @param messageId   the SQS message id
 * @param eventId     the event's {@code detail.eventId}, or null when it has none
 */
record SentMessage(InputEvent event, String integration, String messageId, String eventId) {}
