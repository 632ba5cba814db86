package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.KeyRing;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorService;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwoFactorWebConfigTest {

    private static final TwoFactorService SERVICE = TwoFactorService.builder()
            .issuer("Config Test")
            .store(new InMemoryTwoFactorStore())
            .secretCipher(SecretCipher.aesGcm(KeyRing.builder().primaryKey("k1", new byte[32]).build()))
            .build();

    @Test
    void buildWhenNothingSetThenDocumentedDefaults() {
        TwoFactorWebConfig config = TwoFactorWebConfig.builder(SERVICE).build();

        assertThat(config.service()).isSameAs(SERVICE);
        assertThat(config.loginPath()).isEqualTo("/login");
        assertThat(config.challengePath()).isEqualTo("/login/two-factor");
        assertThat(config.challengeCancelPath()).isEqualTo("/login/two-factor/cancel");
        assertThat(config.enrolmentPath()).isEqualTo("/my/profile/two-factor");
        assertThat(config.stepUpPath()).isEqualTo("/my/profile/two-factor/unlock");
        assertThat(config.signOutPath()).isEqualTo("/logout");
        assertThat(config.homePath()).isEqualTo("/");
        assertThat(config.challengeTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.basicRealm()).isEqualTo("twofactor");
        assertThat(config.handleChallengeRequests()).isTrue();
        assertThat(config.currentUser()).isSameAs(CurrentUser.SIGN_IN_HELPER);
        assertThat(config.allowlist()).isSameAs(RequestMatcher.NONE);
        assertThat(config.stepUpPaths()).isSameAs(RequestMatcher.NONE);
        assertThat(config.appPasswordPaths()).isSameAs(RequestMatcher.NONE);
        assertThat(config.apiRequests()).isSameAs(RequestMatcher.ACCEPTS_JSON);
        assertThat(config.paths()).isEqualTo(TwoFactorPaths.DEFAULTS);
        assertThat(config.crossSiteProtection()).isSameAs(CrossSiteProtection.DEFAULT);
        assertThat(config.stepUpBeforeEnrolment()).isTrue();
    }

    @Test
    void pathsWhenGivenAsOneValueThenEveryAccessorFollowsAndOneSetterStillChangesOne() {
        TwoFactorPaths paths = TwoFactorPaths.DEFAULTS.withLogin("/signin").withHome("/dashboard")
                .withEnrolment("/settings/mfa").withStepUp("/settings/mfa/unlock");

        TwoFactorWebConfig config = TwoFactorWebConfig.builder(SERVICE).paths(paths).signOutPath("/bye").build();

        assertThat(config.paths()).isEqualTo(paths.withSignOut("/bye"));
        assertThat(config.loginPath()).isEqualTo("/signin");
        assertThat(config.homePath()).isEqualTo("/dashboard");
        assertThat(config.signOutPath()).isEqualTo("/bye");
        assertThat(config.newBuilder().build().paths()).isEqualTo(config.paths());
    }

    @Test
    void pathsWhenTheyClashThenTheRecordRefusesAsTheBuilderDoes() {
        assertThatThrownBy(() -> TwoFactorPaths.DEFAULTS.withChallenge("/login"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/login");
        assertThatThrownBy(() -> TwoFactorPaths.DEFAULTS.withHome("/logout"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TwoFactorPaths.DEFAULTS.withStepUp("/login/two-factor"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TwoFactorPaths.DEFAULTS.withLogin("/login/"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("login");
        // One at a time through the builder, a clash only counts once all are set.
        assertThat(TwoFactorWebConfig.builder(SERVICE).challengePath("/login").loginPath("/signin").build()
                .challengePath()).isEqualTo("/login");
    }

    @Test
    void newBuilderWhenChangedThenCopyDiffersOnlyThere() {
        TwoFactorWebConfig config = TwoFactorWebConfig.builder(SERVICE).loginPath("/signin").build();

        TwoFactorWebConfig changed = config.newBuilder().challengeTtl(Duration.ofMinutes(3)).build();

        assertThat(changed.loginPath()).isEqualTo("/signin");
        assertThat(changed.challengeTtl()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.challengeTtl()).isEqualTo(Duration.ofMinutes(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "login", "/", "/login/", "//login", "/a//b", "/login?x=1", "/login#x", "/login/*",
        "/log in", "/login;x", "/a\\b", "/%2e%2e", "/caf\u00e9"})
    void screenPathWhenNotAPlainPathThenRejected(String path) {
        assertThatThrownBy(() -> TwoFactorWebConfig.builder(SERVICE).challengePath(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("challengePath");
    }

    @Test
    void homePathWhenRootThenAccepted() {
        assertThat(TwoFactorWebConfig.builder(SERVICE).homePath("/").build().homePath()).isEqualTo("/");
    }

    @Test
    void buildWhenTwoScreensSharePathThenRejected() {
        assertThatThrownBy(() -> TwoFactorWebConfig.builder(SERVICE).challengePath("/login").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/login");
        assertThatThrownBy(() -> TwoFactorWebConfig.builder(SERVICE).homePath("/logout").build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TwoFactorWebConfig.builder(SERVICE).stepUpPath("/login/two-factor").build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void challengeTtlWhenNotPositiveOrOverADayThenRejected() {
        TwoFactorWebConfig.Builder builder = TwoFactorWebConfig.builder(SERVICE);

        assertThatThrownBy(() -> builder.challengeTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.challengeTtl(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.challengeTtl(Duration.ofDays(1).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void basicRealmWhenItCouldBreakTheHeaderThenRejected() {
        TwoFactorWebConfig.Builder builder = TwoFactorWebConfig.builder(SERVICE);

        assertThatThrownBy(() -> builder.basicRealm("a\"b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.basicRealm("a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.basicRealm("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(builder.basicRealm("ACME API").build().basicRealm()).isEqualTo("ACME API");
    }

    @Test
    void builderWhenNullsThenRejectedAtOnce() {
        assertThatThrownBy(() -> TwoFactorWebConfig.builder(null)).isInstanceOf(NullPointerException.class);
        TwoFactorWebConfig.Builder builder = TwoFactorWebConfig.builder(SERVICE);
        assertThatThrownBy(() -> builder.allowlist(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.currentUser(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.paths(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.crossSiteProtection(null)).isInstanceOf(NullPointerException.class);
    }
}
