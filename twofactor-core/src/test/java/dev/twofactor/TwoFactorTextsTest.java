package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 13: every user-facing text in one resource bundle, with stable keys, English by default. */
class TwoFactorTextsTest {

    @ParameterizedTest
    @EnumSource(TwoFactorTexts.Key.class)
    void everyKeyHasANonBlankEnglishText(TwoFactorTexts.Key key) {
        assertThat(TwoFactorTexts.get(key, Locale.ENGLISH)).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonHasAKeyAndItsMessageComesFromTheBundle(Reason reason) throws IOException {
        assertThat(english()).containsKey("reason." + reason.name());
        assertThat(reason.message()).isEqualTo(english().getProperty("reason." + reason.name())).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(TwoFactorState.class)
    void everyStateHasABadge(TwoFactorState state) {
        assertThat(TwoFactorTexts.state(state, Locale.ENGLISH)).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(EnforcementLevel.class)
    void everyPolicyLevelHasItsLabel(EnforcementLevel level) {
        assertThat(TwoFactorTexts.get("policy." + level.name(), Locale.ENGLISH)).isEqualTo(level.label());
    }

    @Test
    void everyKeyOfTheFileIsReachableAndEveryConstantNamesAKeyOfTheFile() throws IOException {
        Set<String> constants = Arrays.stream(TwoFactorTexts.Key.values()).map(TwoFactorTexts.Key::key)
                .collect(Collectors.toSet());
        Set<String> reasons = Arrays.stream(Reason.values()).map(r -> "reason." + r.name())
                .collect(Collectors.toSet());
        Set<String> inFile = english().stringPropertyNames();
        assertThat(inFile).containsAll(constants).containsAll(reasons);
        assertThat(inFile.stream().filter(k -> !constants.contains(k) && !reasons.contains(k))).isEmpty();
    }

    @Test
    void theSeedScreensTextsAreTheEnglishTexts() {
        assertThat(TwoFactorTexts.state(TwoFactorState.NOT_CONFIGURED, Locale.ENGLISH)).isEqualTo("Not configured");
        assertThat(TwoFactorTexts.state(TwoFactorState.PENDING_CONFIRMATION, Locale.ENGLISH))
                .isEqualTo("Pending confirmation");
        assertThat(TwoFactorTexts.state(TwoFactorState.ENABLED, Locale.ENGLISH)).isEqualTo("Enabled");
        assertThat(TwoFactorTexts.get(TwoFactorTexts.Key.CHALLENGE_VERIFY, Locale.ENGLISH))
                .isEqualTo("Verify and sign in");
        assertThat(TwoFactorTexts.get(TwoFactorTexts.Key.CHALLENGE_LOST_PHONE, Locale.ENGLISH))
                .isEqualTo("Lost your phone? Use a recovery code");
        assertThat(TwoFactorTexts.get(TwoFactorTexts.Key.CHALLENGE_CANT_USE_DEVICE, Locale.ENGLISH))
                .isEqualTo("Can't use your mobile device?");
        assertThat(TwoFactorTexts.get(TwoFactorTexts.Key.ENROLMENT_ACTIVATED, Locale.ENGLISH))
                .isEqualTo("Two-factor authentication is now active. Save your recovery codes \u2014 they're"
                        + " shown once.");
        assertThat(TwoFactorTexts.get(TwoFactorTexts.Key.RECOVERY_CODES_REGENERATE_CONFIRM, Locale.ENGLISH))
                .isEqualTo("Generate new recovery codes? Old codes will stop working immediately.");
        assertThat(TwoFactorTexts.get(TwoFactorTexts.Key.STEP_UP_UNLOCK, Locale.ENGLISH)).isEqualTo("Unlock settings");
        assertThat(OrganisationPolicy.ENROLMENT_REQUIRED_MESSAGE).isEqualTo(
                "Two-factor authentication is required by your organisation. Set it up to continue.");
        assertThat(new Outcome.Locked<Void>().message()).isEqualTo(
                "Two-factor authentication is locked after too many failed attempts. Contact an administrator.");
    }

    @Test
    void waitTextThenSingularForOneSecondAndPluralOtherwise() {
        assertThat(TwoFactorTexts.waitText(1, Locale.ENGLISH))
                .isEqualTo("Too many failed attempts. Try again in 1 second.");
        assertThat(TwoFactorTexts.waitText(2, Locale.ENGLISH))
                .isEqualTo("Too many failed attempts. Try again in 2 seconds.");
        assertThat(TwoFactorTexts.waitText(3600, Locale.ENGLISH))
                .isEqualTo("Too many failed attempts. Try again in 3600 seconds.");
        assertThat(new Outcome.RateLimited<Void>(Duration.ofSeconds(1)).message())
                .isEqualTo("Too many failed attempts. Try again in 1 second.");
        assertThat(new Outcome.RateLimited<Void>(Duration.ofMillis(1500)).message())
                .isEqualTo("Too many failed attempts. Try again in 2 seconds.");
    }

    @Test
    void formatFillsThePatternAndKeepsArgumentsLiteral() {
        assertThat(TwoFactorTexts.format(TwoFactorTexts.Key.RECOVERY_CODES_FILE_HEADER, Locale.ENGLISH, "carol",
                "Example", "2026-12-01 10:00 UTC"))
                .isEqualTo("Recovery codes for carol at Example, generated 2026-12-01 10:00 UTC");
        assertThat(TwoFactorTexts.format(TwoFactorTexts.Key.RECOVERY_CODES_FILE_HEADER, Locale.ENGLISH, "o'neil {0}",
                "Example", "now")).isEqualTo("Recovery codes for o'neil {0} at Example, generated now");
    }

    @Test
    void onlyThePatternKeysHaveArgumentsAndNoPatternHasAnApostropheMessageFormatWouldEat() throws IOException {
        Set<String> patterns = Set.of(TwoFactorTexts.Key.BACKOFF_WAIT.key(),
                TwoFactorTexts.Key.RECOVERY_CODES_FILE_HEADER.key(), TwoFactorTexts.Key.TRUSTED_DEVICE_NAME.key());
        Properties english = english();
        for (String key : english.stringPropertyNames()) {
            String text = english.getProperty(key);
            if (patterns.contains(key)) {
                assertThat(text).as(key).contains("{0").doesNotContain("'");
            } else {
                assertThat(text).as(key).doesNotContain("{");
            }
        }
    }

    @Test
    void aSecondLocaleBundleOverridesKeyByKeyAndFallsBackToEnglish() {
        assertThat(TwoFactorTexts.state(TwoFactorState.ENABLED, Locale.GERMAN)).isEqualTo("Aktiviert");
        assertThat(Reason.WRONG_CODE.message(Locale.GERMANY)).isEqualTo("Dieser Code stimmte nicht");
        assertThat(TwoFactorTexts.waitText(1, Locale.GERMAN))
                .isEqualTo("Zu viele Fehlversuche. Versuchen Sie es in 1 Sekunde erneut.");
        assertThat(TwoFactorTexts.waitText(2, Locale.GERMAN))
                .isEqualTo("Zu viele Fehlversuche. Versuchen Sie es in 2 Sekunden erneut.");
        // Not translated there: English.
        assertThat(TwoFactorTexts.get(TwoFactorTexts.Key.STEP_UP_UNLOCK, Locale.GERMAN)).isEqualTo("Unlock settings");
        // The English default never depends on the JVM's default locale.
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMAN);
            assertThat(Reason.WRONG_CODE.message()).isEqualTo("That code did not match");
            assertThat(TwoFactorTexts.state(TwoFactorState.ENABLED, Locale.FRENCH)).isEqualTo("Enabled");
        } finally {
            Locale.setDefault(saved);
        }
    }

    private static Properties english() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = TwoFactorTexts.class.getResourceAsStream("messages.properties")) {
            properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
        }
        return properties;
    }
}
