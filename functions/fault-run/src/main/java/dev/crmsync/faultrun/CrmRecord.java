package dev.crmsync.faultrun;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CRM record of the workload. {@code index} is the judge's handle on it: every state the run
 * sends names the record by its index and the version ({@link #label}), so the judge reads which
 * record and which version a vendor write or object carries from the vendor's own data — whatever
 * form the connector gives the CRM id in the vendor (case-only id pairs share every letter of their
 * id but never their index).
 *
 * @param object   account, contact or deal
 * @param index    unique over the run
 * @param recordId the CRM's id (15 characters, case-sensitive, as Salesforce's)
 */
record CrmRecord(String object, int index, String recordId) {
    private static final Pattern LABEL = Pattern.compile("(?:Acct|C|Deal) (\\d+) (?:v|close )(\\d+)");

    /** The name the record's state carries at {@code version} (account name, contact first + last name, deal name). */
    String label(long version) {
        return switch (object) {
            case "account" -> "Acct " + index + " v" + version;
            case "contact" -> "C " + index + " v" + version;
            default -> "Deal " + index + " close " + version;
        };
    }

    /** The record index and the version (or close number) a label names, or null when {@code text} holds none. */
    static long[] parseLabel(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = LABEL.matcher(text);
        return m.find() ? new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))} : null;
    }
}
