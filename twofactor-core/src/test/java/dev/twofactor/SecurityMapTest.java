package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The build check of SECURITY.md (at the repository root, one level above this module): every row of its requirement
 * table (the section "Requirements and the tests that prove them") names at least one test, and every
 * {@code ClassName#methodName} (or {@code ClassName}) it names exists in the
 * test sources of twofactor-core, twofactor-jdbc or twofactor-servlet. A renamed or removed test fails here.
 */
class SecurityMapTest {

    private static final Pattern REFERENCE = Pattern.compile("`([A-Z][A-Za-z0-9]*)(?:#([a-z][A-Za-z0-9]*))?`");
    private static final String SECTION = "## Requirements and the tests that prove them";
    private static final List<String> MODULES = List.of("twofactor-core", "twofactor-jdbc", "twofactor-servlet");

    @Test
    void everyTestNamedInSecurityMdExists() throws IOException {
        Path root = moduleDirectory().resolve("..").normalize();
        List<String> lines = Files.readAllLines(root.resolve("SECURITY.md"));
        int start = lines.indexOf(SECTION);
        assertThat(start).as("the section %s", SECTION).isNotNegative();
        List<String> rows = lines.subList(start + 1, lines.size()).stream()
                .takeWhile(line -> !line.startsWith("## "))
                .filter(line -> line.startsWith("| ") && !line.startsWith("| requirement")).toList();
        Map<String, List<Path>> sources = testSources(root);
        List<String> missing = new ArrayList<>();
        int references = 0;

        for (String row : rows) {
            String testColumn = row.substring(row.lastIndexOf(" | ") + 3);
            Matcher matcher = REFERENCE.matcher(testColumn);
            int inRow = 0;
            while (matcher.find()) {
                inRow++;
                String type = matcher.group(1);
                String method = matcher.group(2);
                List<Path> files = sources.getOrDefault(type + ".java", List.of());
                boolean found = !files.isEmpty() && (method == null || files.stream().anyMatch(file ->
                        Pattern.compile("\\bvoid\\s+" + method + "\\s*\\(").matcher(read(file)).find()));
                if (!found) {
                    missing.add(matcher.group());
                }
            }
            assertThat(inRow).as("tests named in the row %s", row.substring(0, Math.min(60, row.length())))
                    .isPositive();
            references += inRow;
        }

        assertThat(rows).as("requirement rows").hasSizeGreaterThanOrEqualTo(20);
        assertThat(references).as("references found (the table's format still parses)").isGreaterThan(40);
        assertThat(missing).as("tests named in SECURITY.md that do not exist").isEmpty();
    }

    @Test
    void aMissingTestIsReported() {
        Matcher matcher = REFERENCE.matcher("`NoSuchTest#noSuchMethod`, `RfcVectorsTest`");
        assertThat(matcher.find()).isTrue();
        assertThat(matcher.group(1)).isEqualTo("NoSuchTest");
        assertThat(matcher.group(2)).isEqualTo("noSuchMethod");
        assertThat(matcher.find()).isTrue();
        assertThat(matcher.group(2)).isNull();
    }

    private static Path moduleDirectory() {
        String basedir = System.getProperty("basedir");
        return Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
    }

    private static Map<String, List<Path>> testSources(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String module : MODULES) {
            Path tests = root.resolve(module).resolve("src/test/java");
            if (Files.isDirectory(tests)) {
                try (Stream<Path> walk = Files.walk(tests)) {
                    walk.filter(file -> file.toString().endsWith(".java")).forEach(files::add);
                }
            }
        }
        assertThat(files).as("test sources under %s", root).hasSizeGreaterThan(50);
        return files.stream().collect(Collectors.groupingBy(file -> file.getFileName().toString(),
                Collectors.mapping(Function.identity(), Collectors.toList())));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
