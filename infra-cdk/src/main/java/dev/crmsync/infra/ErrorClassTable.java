package dev.crmsync.infra;

import dev.crmsync.contract.ErrorClass;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * docs/RUNBOOK.md's error-class table, generated from {@link ErrorClass}: what each class means and
 * what on-call does. Classes declared next to each other with the same kind, cause and fix share a row.
 */
public final class ErrorClassTable {

    public static final MarkedRegion REGION =
            new MarkedRegion("docs/RUNBOOK.md", "<!-- error-classes:begin -->", "<!-- error-classes:end -->");

    private ErrorClassTable() {}

    /** What belongs between the error-class markers. */
    public static String region() {
        StringBuilder text = new StringBuilder("\n")
                .append(MarkedRegion.generatedFrom("sync-contract's ErrorClass"))
                .append("\n")
                .append("| errorClass | kind | cause | fix |\n|---|---|---|---|\n");
        for (List<ErrorClass> row : rows()) {
            ErrorClass first = row.get(0);
            text.append("| ")
                    .append(row.stream().map(c -> "`" + c.wireName() + "`").collect(Collectors.joining(", ")))
                    .append(" | ")
                    .append(first.kind().wireName())
                    .append(" | ")
                    .append(MarkedRegion.cell(first.cause()))
                    .append(" | ")
                    .append(MarkedRegion.cell(first.fix()))
                    .append(" |\n");
        }
        return text.toString();
    }

    /** The classes in declaration order, neighbours that say the same thing in one row. */
    private static List<List<ErrorClass>> rows() {
        List<List<ErrorClass>> rows = new ArrayList<>();
        for (ErrorClass errorClass : ErrorClass.values()) {
            List<ErrorClass> last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
            if (last != null && sameRow(last.get(0), errorClass)) {
                last.add(errorClass);
            } else {
                rows.add(new ArrayList<>(List.of(errorClass)));
            }
        }
        return rows;
    }

    private static boolean sameRow(ErrorClass a, ErrorClass b) {
        return a.kind() == b.kind() && a.cause().equals(b.cause()) && a.fix().equals(b.fix());
    }
}
