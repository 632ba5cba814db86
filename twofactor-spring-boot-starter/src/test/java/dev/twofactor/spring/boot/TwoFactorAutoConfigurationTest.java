package dev.twofactor.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.BackoffPolicy;
import dev.twofactor.EnforcementLevel;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorService;
import dev.twofactor.jdbc.JdbcTwoFactorStore;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.spring.security.TwoFactorAuthorizationManager;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TwoFactorAutoConfigurationTest {

    private static final String KEY = "twofactor.keys=k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TwoFactorAutoConfiguration.class));

    @Test
    void startWhenNoKeyThenFailsSayingHowToSetOne() {
        runner.withPropertyValues("twofactor.issuer=ACME").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("TWOFACTOR_KEYS");
        });
    }

    @Test
    void startWhenKeyIsNot32BytesThenFailsWithoutShowingTheKey() {
        runner.withPropertyValues("twofactor.issuer=ACME", "twofactor.keys=k1:c2hvcnQ=").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("32 bytes")
                    .hasMessageNotContaining("c2hvcnQ");
        });
    }

    @Test
    void startWhenIssuerMissingThenFails() {
        runner.withPropertyValues(KEY).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("twofactor.issuer"));
    }

    @Test
    void startWithIssuerAndKeyThenServiceFromTheProperties() {
        runner.withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.step-up-window=2m",
                "twofactor.backoff.lock-after=10").run(context -> {
                    assertThat(context).hasSingleBean(TwoFactorService.class)
                            .hasSingleBean(TwoFactorAuthorizationManager.class)
                            .hasSingleBean(InMemoryTwoFactorStore.class);
                    assertThat(context.getBean(TwoFactorService.class).stepUpWindow())
                            .isEqualTo(Duration.ofMinutes(2));
                    assertThat(context.getBean(SecretCipher.class).currentKeyId()).isEqualTo("k1");
                });
    }

    @Test
    void startWithRequirementMaxAgeThenTheManagerReadsAtMostThatOften() {
        runner.withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.web.requirement-max-age=30s")
                .run(context -> assertThat(context.getBean(TwoFactorAuthorizationManager.class).requirementMaxAge())
                        .isEqualTo(Duration.ofSeconds(30)));
        runner.withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.web.requirement-max-age=0")
                .run(context -> assertThat(context.getBean(TwoFactorAuthorizationManager.class).requirementMaxAge())
                        .isZero());
        runner.withPropertyValues("twofactor.issuer=ACME", KEY)
                .run(context -> assertThat(context.getBean(TwoFactorAuthorizationManager.class).requirementMaxAge())
                        .isEqualTo(Duration.ofSeconds(10)));
        runner.withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.web.requirement-max-age=11m")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("requirementMaxAge must be zero or more and at most 10 minutes"));
    }

    @Test
    void startWithDataSourceThenJdbcStoreWithOptionalSchema() {
        runner.withUserConfiguration(DataSourceConfig.class)
                .withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.jdbc.create-schema=true",
                        "twofactor.jdbc.table-prefix=auto_")
                .run(context -> {
                    assertThat(context).hasSingleBean(JdbcTwoFactorStore.class);
                    assertThat(context.getBean(JdbcTwoFactorStore.class).tablePrefix()).isEqualTo("auto_");
                    assertThat(context.getBean(TwoFactorService.class).status("nobody").state().name())
                            .isEqualTo("NOT_CONFIGURED");
                });
    }

    @Test
    void startWhenApplicationDefinesItsOwnBeansThenTheAutoConfigurationBacksOff() {
        runner.withUserConfiguration(OwnBeans.class).withPropertyValues("twofactor.issuer=ACME").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TwoFactorStore.class)).isSameAs(OwnBeans.STORE);
            assertThat(context.getBean(SecretCipher.class).currentKeyId()).isEqualTo("plain");
        });
    }

    @Test
    void startWithPolicyLevelThenTheStoredPolicyIsSet() {
        runner.withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.policy.level=ADMINS",
                "twofactor.policy.grace-period=7d").run(context -> {
                    var policy = context.getBean(TwoFactorService.class).policy();
                    assertThat(policy.level()).isEqualTo(EnforcementLevel.ADMINS);
                    assertThat(policy.gracePeriod()).isEqualTo(Duration.ofDays(7));
                });
        runner.withPropertyValues("twofactor.issuer=ACME", KEY).run(context -> assertThat(
                context.getBean(TwoFactorService.class).policy().level()).isEqualTo(EnforcementLevel.NONE));
    }

    @Test
    void startWithTrustedDevicesThenTheServiceHasThemWithTheLifetimeAndOtherwiseNot() {
        runner.withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.trusted-devices.enabled=true",
                "twofactor.trusted-devices.lifetime=7d").run(context -> {
                    var devices = context.getBean(TwoFactorService.class).trustedDevices();
                    assertThat(devices.enabled()).isTrue();
                    assertThat(devices.lifetime()).isEqualTo(Duration.ofDays(7));
                });
        runner.withPropertyValues("twofactor.issuer=ACME", KEY).run(context -> {
            var devices = context.getBean(TwoFactorService.class).trustedDevices();
            assertThat(devices.enabled()).isFalse();
            assertThat(devices.lifetime()).isEqualTo(Duration.ofDays(30));
        });
        runner.withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.trusted-devices.enabled=true",
                "twofactor.trusted-devices.lifetime=401d").run(context -> assertThat(context.getStartupFailure())
                        .rootCause().hasMessageContaining("trustedDeviceLifetime"));
    }

    @Test
    void startWithInvalidBackoffThenFails() {
        runner.withPropertyValues("twofactor.issuer=ACME", KEY, "twofactor.backoff.tolerated-failures=5",
                "twofactor.backoff.lock-after=3").run(context -> assertThat(context).hasFailed());
        assertThat(BackoffPolicy.DEFAULT.lockAfter()).isEqualTo(100);
    }

    @Configuration(proxyBeanMethods = false)
    static class DataSourceConfig {
        @Bean
        JdbcDataSource dataSource() {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL("jdbc:h2:mem:autoconfig-test;DB_CLOSE_DELAY=-1");
            return dataSource;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        static final InMemoryTwoFactorStore STORE = new InMemoryTwoFactorStore();

        @Bean
        TwoFactorStore store() {
            return STORE;
        }

        @Bean
        SecretCipher cipher() {
            return SecretCipher.plaintext();
        }
    }
}
