package dev.crmsync.sandbox.stripe;

/** An endpoint's answer: its status and body, and whether an idempotency key keeps it ({@code saved}). */
record Outcome(int status, byte[] body, boolean saved) {}
