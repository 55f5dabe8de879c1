package dev.crmsync.harness.contract;

/** A vendor call by method and path (a regular expression over the whole path): where the suites inject faults. */
public record VendorCall(String method, String pathRegex) {}
