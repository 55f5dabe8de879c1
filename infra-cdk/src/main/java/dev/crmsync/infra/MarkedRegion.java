package dev.crmsync.infra;

/**
 * A generated part of a Markdown file: the text between two marker comments, which
 * {@link GeneratedDocs} rewrites and a template test compares with what the code generates.
 *
 * @param file  the file, relative to the repository root ({@code README.md}, {@code docs/RUNBOOK.md})
 * @param start the opening marker, e.g. {@code <!-- error-classes:begin -->}
 * @param end   the closing marker
 */
public record MarkedRegion(String file, String start, String end) {

    /** The text between the markers (exclusive), or an error naming the file and the missing marker. */
    public String in(String text) {
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException(file + " needs the markers " + start + " and " + end + ", in that order");
        }
        return text.substring(from + start.length(), to);
    }

    /** {@code text} with {@code content} between the markers. */
    public String replacedIn(String text, String content) {
        String current = in(text);
        int from = text.indexOf(start) + start.length();
        return text.substring(0, from) + content + text.substring(from + current.length());
    }

    /** The line every generated region starts with: where it comes from and the command that regenerates it. */
    static String generatedFrom(String source) {
        return "<!-- generated from " + source + " by `" + CatalogDiagram.COMMAND + "`; do not edit by hand -->";
    }

    /** {@code text} fit for a Markdown table cell: a {@code |} would end the cell. */
    static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
