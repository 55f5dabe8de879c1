package dev.crmsync.synccore.connector;

/** A CRM record another operation depends on, e.g. the account a deal belongs to. */
public record RecordRef(String object, String recordId) {}
