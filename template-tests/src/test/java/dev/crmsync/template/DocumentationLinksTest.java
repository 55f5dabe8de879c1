package dev.crmsync.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documents a newcomer follows link only to what exists: every relative link in README.md,
 * docs/*.md, the root's other *.md, events/README.md and functions/<integration>/CONTRACT.md names an
 * existing file, and a link to {@code file.md#anchor} (or {@code #anchor} within the page) names one
 * of that file's headings, with the anchor GitHub derives from it. Links inside code are not links.
 */
class DocumentationLinksTest {

    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private static List<Path> documents() throws IOException {
        Path root = SynthesizedStack.REPO_ROOT;
        List<Path> documents = new ArrayList<>();
        try (Stream<Path> top = Files.list(root)) {
            top.filter(path -> path.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .forEach(documents::add);
        }
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> pages = Files.list(docs)) {
                pages.filter(path -> path.getFileName().toString().endsWith(".md"))
                        .sorted()
                        .forEach(documents::add);
            }
        }
        documents.add(root.resolve("events/README.md"));
        try (Stream<Path> modules = Files.list(root.resolve("functions"))) {
            modules.map(module -> module.resolve("CONTRACT.md"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(documents::add);
        }
        return documents;
    }

    @Test
    void theReadmeEveryDocsPageAndEveryContractAreChecked() throws IOException {
        List<String> names = documents().stream()
                .map(path -> SynthesizedStack.REPO_ROOT.relativize(path).toString())
                .toList();

        assertThat(names)
                .contains(
                        "README.md",
                        "docs/architecture.md",
                        "docs/deploy.md",
                        "docs/configuration.md",
                        "docs/RUNBOOK.md",
                        "docs/adding-an-integration.md",
                        "docs/CONTRIBUTING.md",
                        "functions/billing/CONTRACT.md",
                        "functions/notifications/CONTRACT.md");
    }

    @Test
    void everyRelativeLinkNamesAnExistingFileAndHeading() throws IOException {
        Map<Path, Set<String>> anchorsByFile = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            for (String target : relativeLinks(document)) {
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty()
                        ? document
                        : document.getParent().resolve(file).normalize();
                String where = SynthesizedStack.REPO_ROOT.relativize(document) + ": " + target;
                if (!Files.exists(resolved)) {
                    broken.add(where + " (no such file)");
                } else if (anchor != null
                        && resolved.getFileName().toString().endsWith(".md")
                        && !anchorsByFile
                                .computeIfAbsent(resolved, DocumentationLinksTest::anchors)
                                .contains(anchor)) {
                    broken.add(where + " (no such heading)");
                }
            }
        }

        assertThat(broken).as("links to files or headings that do not exist").isEmpty();
    }

    @Test
    void anAnchorIsWhatGitHubMakesOfItsHeading() {
        assertThat(anchor("Runbook (on-call)")).isEqualTo("runbook-on-call");
        assertThat(anchor("1. Which alarm?")).isEqualTo("1-which-alarm");
        assertThat(anchor("`CRM_SYNC_*` variables")).isEqualTo("crm_sync_-variables");
    }

    /** The link targets of {@code document} outside code blocks and code spans, without URLs of a scheme. */
    private static List<String> relativeLinks(Path document) {
        List<String> targets = new ArrayList<>();
        boolean inFence = false;
        for (String line : lines(document)) {
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            if (inFence) {
                continue;
            }
            String text = INLINE_CODE.matcher(line).replaceAll("");
            for (Pattern pattern : List.of(LINK, IMAGE)) {
                Matcher link = pattern.matcher(text);
                while (link.find()) {
                    String target = link.group(1);
                    if (!target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                        targets.add(target);
                    }
                }
            }
        }
        return targets;
    }

    /** The anchors of a page's headings, as GitHub makes them (a repeated heading gets -1, -2, …). */
    private static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : lines(page)) {
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (!inFence && heading.matches()) {
                String anchor = anchor(heading.group(1));
                int repeats = seen.merge(anchor, 1, Integer::sum) - 1;
                anchors.add(repeats == 0 ? anchor : anchor + "-" + repeats);
            }
        }
        return anchors;
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
    private static String anchor(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
