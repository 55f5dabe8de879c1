package dev.crmsync.synccore.connector;

import java.util.ArrayList;
import java.util.List;

/**
 * A CRM id written so that a vendor which compares ids <em>without regard to case</em> still tells
 * apart two ids that differ only in case. CRM ids are case-sensitive (Salesforce's 15-character
 * ids: {@code 001xx000003DGbA} and {@code 001xx000003DGba} are two accounts), while Zendesk
 * matches {@code external_id} case-insensitively; written as they are, the two accounts would
 * share one vendor object.
 *
 * <p>The form stays readable and changes as little as it can:
 * <ul>
 *   <li>an id without upper-case letters (and without {@code ~}) is written as it is, so objects
 *       created under such ids before this encoding existed are found unchanged;</li>
 *   <li>any other id is written as it is, with every {@code ~} doubled, followed by {@code ~} and
 *       the 1-based positions of its upper-case letters joined by {@code .}:
 *       {@code 001xx000003DGbA} → {@code 001xx000003DGbA~12.13.15}.</li>
 * </ul>
 * The encoding is injective, and stays so when the vendor ignores case: a single {@code ~} is
 * always followed by a digit, a doubled one never starts the suffix, and the suffix says where the
 * upper-case letters are, so the lower-cased id and the suffix give back the id. Only the ASCII
 * letters {@code A–Z} count as upper case: the event contract allows nothing else in a record id
 * ({@code ^[A-Za-z0-9._:-]+$}); any other character passes through unchanged.
 */
public final class CaseDistinctId {
    /** Starts the case suffix; doubled where the id itself holds it. */
    public static final char MARKER = '~';

    private CaseDistinctId() {}

    /** The id a case-blind vendor is given for the CRM id {@code crmId}. */
    public static String encode(String crmId) {
        StringBuilder written = new StringBuilder(crmId.length() + 8);
        List<String> upperCase = new ArrayList<>();
        for (int i = 0; i < crmId.length(); i++) {
            char c = crmId.charAt(i);
            if (c == MARKER) {
                written.append(MARKER);
            } else if (c >= 'A' && c <= 'Z') {
                upperCase.add(Integer.toString(i + 1));
            }
            written.append(c);
        }
        if (!upperCase.isEmpty()) {
            written.append(MARKER).append(String.join(".", upperCase));
        }
        return written.toString();
    }

    /**
     * The CRM id an encoded id stands for, whatever case the vendor gives it back in (Zendesk keeps
     * the case it was last written with).
     *
     * @throws IllegalArgumentException when {@code encoded} has a case suffix {@link #encode} cannot have produced
     */
    public static String decode(String encoded) {
        StringBuilder id = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c != MARKER) {
                id.append(c);
                i++;
            } else if (i + 1 < encoded.length() && encoded.charAt(i + 1) == MARKER) {
                id.append(MARKER);
                i += 2;
            } else {
                return withUpperCase(id.toString(), encoded.substring(i + 1), encoded);
            }
        }
        // no suffix: the id had no upper-case letters, whatever case the vendor shows now
        return asciiLowerCase(id.toString());
    }

    /**
     * The letters lower-cased, then the positions the suffix names upper-cased: the vendor may have changed any case.
     */
    private static String withUpperCase(String letters, String suffix, String encoded) {
        char[] id = asciiLowerCase(letters).toCharArray();
        int previous = 0;
        for (String part : suffix.split("\\.", -1)) {
            int position;
            try {
                position = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "'" + encoded + "' has a case suffix that is not positions: '" + suffix + "'");
            }
            if (position <= previous || position > id.length || id[position - 1] < 'a' || id[position - 1] > 'z') {
                throw new IllegalArgumentException(
                        "'" + encoded + "' names position " + part + ", not a letter after the last one named");
            }
            id[position - 1] = (char) (id[position - 1] - 'a' + 'A');
            previous = position;
        }
        return new String(id);
    }

    private static String asciiLowerCase(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] - 'A' + 'a');
            }
        }
        return new String(chars);
    }
}
