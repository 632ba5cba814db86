package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.TwoFactorTexts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: every user-facing text of the servlet adapter comes from core's bundle. The main sources are scanned for
 * string literals that read like a sentence (a capital letter, then words) or put words between HTML tags, outside
 * comments, log calls and exception messages; a new hard-coded text fails this test until it moves to the bundle.
 */
class NoHardCodedTextsTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/twofactor/servlet");
    /** A literal that reads like a sentence: a capital letter, a space, another word. */
    private static final Pattern SENTENCE = Pattern.compile("^[A-Z]\\S* .*[A-Za-z].*", Pattern.DOTALL);
    /** Words between HTML tags: {@code <h1>Save these</h1>}. */
    private static final Pattern TAG_TEXT = Pattern.compile(">\\s*[A-Za-z][^<]*<");
    /** The statements whose literals are no user-facing text: log lines and exception messages for misuse. */
    private static final Pattern NOT_FOR_USERS = Pattern.compile(
            "\\bLOG\\.(trace|debug|info|warn|error)\\(|\\bnew \\w*(Exception|Error)\\(");
    /** A literal of one capitalised word: a button or link label ("Continue"), unless a protocol word below. */
    private static final Pattern WORD = Pattern.compile("^[A-Z][a-z']+[.!?]?$");
    /**
     * HTTP header names, the Basic scheme and the cookie's {@code SameSite} value (one capitalised word each), and the
     * Basic challenge's value.
     */
    private static final Set<String> PROTOCOL_WORDS =
            Set.of("Accept", "Allow", "Authorization", "Basic", "Lax", "Location", "Origin");
    private static final List<String> PROTOCOL_PREFIXES = List.of("Basic realm=");

    @Test
    void servletMainSourcesHaveNoHardCodedUserFacingText() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                for (String literal : userFacingLiterals(Files.readString(file, StandardCharsets.UTF_8))) {
                    found.add(file.getFileName() + ": \"" + literal + "\"");
                }
            }
        }
        assertThat(found).as("move these texts to dev/twofactor/messages.properties").isEmpty();
    }

    @Test
    void scannerFindsSentencesAndPageTextButNotLogsExceptionsKeysOrComments() {
        String source = """
                /** A javadoc sentence. */
                class Sample {
                    // Another comment sentence.
                    static final String TEXT = "Your sign-in took too long. Sign in again.";
                    void answer() {
                        Json.object().put("error", "no_challenge").put("message", "Sign in first.");
                        Responses.html(request, response, 403, text, path, "Try again");
                        page.append("<title>New recovery codes</title>");
                        page.append("<p><a href=\\"").append(location).append("\\">");
                        page.append("\\">Continue</a>");
                        Responses.html(request, response, 405, text, path, "Back");
                        response.setHeader("Location", location);
                        response.setHeader("WWW-Authenticate", "Basic realm=\\"" + realm + "\\"");
                        LOG.debug("Refused a malformed credential ({})", reason);
                        throw new IllegalStateException("Used before init: no config"
                                + " was found");
                        response.setHeader("Cache-Control", "no-store");
                        String url = "http://example/ // not a comment";
                        return "SessionState.Slot[" + state + ", stage=" + stage + "]";
                    }
                }
                """;
        assertThat(userFacingLiterals(source)).containsExactly("Your sign-in took too long. Sign in again.",
                "Sign in first.", "Try again", "<title>New recovery codes</title>",
                "\\\">Continue</a>", "Back");
    }

    @Test
    void theServletsTextsAreTheBundlesEnglishTexts() {
        assertThat(new ChallengeResult.Expired().message())
                .isEqualTo(english(TwoFactorTexts.Key.CHALLENGE_EXPIRED))
                .isEqualTo("Your sign-in took too long. Sign in again.");
        assertThat(new ChallengeResult.NotPending().message())
                .isEqualTo(english(TwoFactorTexts.Key.CHALLENGE_NOT_PENDING))
                .isEqualTo("There is no sign-in waiting for a code. Sign in first.");
        assertThat(CrossSiteProtection.REFUSED_MESSAGE)
                .isEqualTo(english(TwoFactorTexts.Key.REQUEST_CROSS_SITE_REFUSED));
        assertThat(BasicAuthentication.PASSWORD_REFUSED_MESSAGE)
                .isEqualTo(english(TwoFactorTexts.Key.REQUEST_PASSWORD_BASIC_REFUSED));
        assertThat(new EnrolmentStart.StepUpRequired().message())
                .isEqualTo(english(TwoFactorTexts.Key.STEP_UP_REQUIRED));
    }

    private static String english(TwoFactorTexts.Key key) {
        return TwoFactorTexts.get(key, Locale.ENGLISH);
    }

    /** The string literals of a Java source that look user-facing, comments and character literals skipped. */
    static List<String> userFacingLiterals(String source) {
        List<String> found = new ArrayList<>();
        StringBuilder statement = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = endOf(source, "\n", i + 2);
            } else if (source.startsWith("/*", i)) {
                i = endOf(source, "*/", i + 2);
            } else if (c == '\'') {
                i = closing(source, '\'', i + 1);
            } else if (c == '"') {
                int end = closing(source, '"', i + 1);
                String literal = source.substring(i + 1, end - 1);
                if (userFacing(literal) && !NOT_FOR_USERS.matcher(statement).find()) {
                    found.add(literal);
                }
                statement.append("\"\"");
                i = end;
            } else {
                if (c == ';' || c == '{' || c == '}') {
                    statement.setLength(0);
                } else {
                    statement.append(c);
                }
                i++;
            }
        }
        return found;
    }

    private static boolean userFacing(String literal) {
        if (PROTOCOL_WORDS.contains(literal) || PROTOCOL_PREFIXES.stream().anyMatch(literal::startsWith)) {
            return false;
        }
        return SENTENCE.matcher(literal).matches() || WORD.matcher(literal).matches()
                || TAG_TEXT.matcher(literal).find();
    }

    private static int endOf(String source, String terminator, int from) {
        int at = source.indexOf(terminator, from);
        return at < 0 ? source.length() : at + terminator.length();
    }

    /** The index after the closing quote, escapes skipped. */
    private static int closing(String source, char quote, int from) {
        int i = from;
        while (i < source.length() && source.charAt(i) != quote) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }
}
