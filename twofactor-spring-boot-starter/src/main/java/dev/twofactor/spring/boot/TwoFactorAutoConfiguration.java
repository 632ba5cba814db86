package dev.twofactor.spring.boot;

import dev.twofactor.BackoffPolicy;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.OrganisationPolicy;
import dev.twofactor.PasswordVerifier;
import dev.twofactor.RecoveryCodePolicy;
import dev.twofactor.SecretCipher;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.UserDirectory;
import dev.twofactor.jdbc.JdbcTwoFactorStore;
import dev.twofactor.spi.TwoFactorStore;
import dev.twofactor.spring.security.SpringEventTwoFactorListener;
import dev.twofactor.spring.security.TwoFactorAuthorizationManager;
import dev.twofactor.spring.security.TwoFactorFactors;
import java.time.Clock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Builds the {@link TwoFactorService} from the {@code twofactor.*} properties ({@link TwoFactorProperties}) on the
 * application's {@link DataSource} (the JDBC store; an in-memory store, with a warning, when there is none), and the
 * beans the Spring Security integration uses. Every bean backs off when the application defines its own.
 *
 * <p>The key ring comes from {@code twofactor.keys}; without it (and without the explicit development switch
 * {@code twofactor.plaintext-secrets}) the application fails to start: there is never a random or built-in key.
 * The password check (disable, step-up) and the user directory (admin unenrol) ask the application's
 * {@link UserDetailsService} and {@link PasswordEncoder} (Spring Security's delegating encoder when none is
 * defined). Events are written to core's SLF4J audit log ({@link TwoFactorListener#auditLog()}, unless
 * {@code twofactor.audit-log.enabled=false}), published as
 * {@link dev.twofactor.spring.security.TwoFactorApplicationEvent}s, then handed to the application's
 * {@link TwoFactorListener} bean, if any.
 */
@AutoConfiguration(afterName = {"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"},
        beforeName = "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
@EnableConfigurationProperties(TwoFactorProperties.class)
@Import(TwoFactorWebSecurityConfiguration.class)
public class TwoFactorAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(TwoFactorAutoConfiguration.class);

    /**
     * The JDBC store on the application's unique DataSource; without one, the in-memory store (state lost at every
     * restart), with a warning.
     */
    @Bean
    @ConditionalOnMissingBean(TwoFactorStore.class)
    TwoFactorStore twoFactorStore(ObjectProvider<DataSource> dataSources, TwoFactorProperties properties) {
        DataSource dataSource = dataSources.getIfUnique();
        if (dataSource == null) {
            LOG.warn("No DataSource: twofactor keeps enrolments in memory, and they are lost at every restart");
            return new InMemoryTwoFactorStore();
        }
        return JdbcTwoFactorStore.builder(dataSource)
                .tablePrefix(properties.getJdbc().getTablePrefix())
                .createSchemaIfMissing(properties.getJdbc().isCreateSchema())
                .build();
    }

    @Bean
    @ConditionalOnMissingBean
    SecretCipher twoFactorSecretCipher(TwoFactorProperties properties) {
        String keys = properties.getKeys();
        if (keys != null && !keys.isBlank()) {
            return SecretCipher.aesGcm(KeyRingProperty.parse(keys));
        }
        if (properties.isPlaintextSecrets()) {
            return SecretCipher.plaintext();
        }
        throw new IllegalStateException("twofactor needs a key to seal authenticator secrets. "
                + KeyRingProperty.HOW_TO);
    }

    @Bean
    @ConditionalOnMissingBean
    PasswordVerifier twoFactorPasswordVerifier(ObjectProvider<UserDetailsService> users,
            ObjectProvider<PasswordEncoder> encoders) {
        return (userId, password) -> {
            UserDetailsService service = users.getIfUnique();
            if (service == null) {
                throw new IllegalStateException("No UserDetailsService to check passwords: define a PasswordVerifier");
            }
            PasswordEncoder encoder = encoders.getIfUnique(PasswordEncoderFactories::createDelegatingPasswordEncoder);
            try {
                UserDetails user = service.loadUserByUsername(userId);
                String stored = user.getPassword();
                return stored != null && encoder.matches(new String(password), stored)
                        ? PasswordVerifier.Verdict.MATCH : PasswordVerifier.Verdict.MISMATCH;
            } catch (UsernameNotFoundException unknown) {
                return PasswordVerifier.Verdict.MISMATCH;
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    UserDirectory twoFactorUserDirectory(ObjectProvider<UserDetailsService> users) {
        return userId -> {
            UserDetailsService service = users.getIfUnique();
            if (service == null) {
                return true;
            }
            try {
                return service.loadUserByUsername(userId) != null;
            } catch (UsernameNotFoundException unknown) {
                return false;
            }
        };
    }

    @Bean
    @ConditionalOnMissingBean
    TwoFactorService twoFactorService(TwoFactorProperties properties, TwoFactorStore store, SecretCipher cipher,
            ObjectProvider<Clock> clocks, PasswordVerifier passwords, UserDirectory directory,
            ApplicationEventPublisher publisher, ObjectProvider<TwoFactorListener> listeners) {
        if (properties.getIssuer() == null || properties.getIssuer().isBlank()) {
            throw new IllegalStateException("Set twofactor.issuer: the name authenticator apps show (\"ACME Co\")");
        }
        TwoFactorProperties.Backoff backoff = properties.getBackoff();
        TwoFactorProperties.RecoveryCodes codes = properties.getRecoveryCodes();
        return TwoFactorService.builder()
                .issuer(properties.getIssuer())
                .store(store)
                .secretCipher(cipher)
                .clock(clocks.getIfUnique(Clock::systemUTC))
                .stepUpWindow(properties.getStepUpWindow())
                .pendingEnrolmentTtl(properties.getPendingEnrolmentTtl())
                .requireRecoveryCodeAcknowledgement(properties.isRequireRecoveryCodeAcknowledgement())
                .appPasswordPermissions(properties.getAppPasswordPermissions())
                .backoffPolicy(BackoffPolicy.builder()
                        .toleratedFailures(backoff.getToleratedFailures())
                        .initialDelay(backoff.getInitialDelay())
                        .maxDelay(backoff.getMaxDelay())
                        .lockAfter(backoff.getLockAfter())
                        .build())
                .recoveryCodePolicy(new RecoveryCodePolicy(codes.getCount(), codes.getGroups(),
                        codes.getGroupLength(), codes.isRotateOnUse()))
                .trustedDevices(properties.getTrustedDevices().isEnabled())
                .trustedDeviceLifetime(properties.getTrustedDevices().getLifetime())
                .passwordVerifier(passwords)
                .userDirectory(directory)
                .listener(listener(properties, publisher, listeners.getIfUnique(() -> TwoFactorListener.NONE)))
                .build();
    }

    /**
     * Core's SLF4J audit log (unless {@code twofactor.audit-log.enabled=false}), then the Spring application event,
     * then the application's own listener.
     */
    static TwoFactorListener listener(TwoFactorProperties properties, ApplicationEventPublisher publisher,
            TwoFactorListener application) {
        TwoFactorListener spring = new SpringEventTwoFactorListener(publisher, application);
        return properties.getAuditLog().isEnabled() ? TwoFactorListener.auditLog().andThen(spring) : spring;
    }

    /** Applies {@code twofactor.policy.level} at start-up when the stored policy differs. */
    @Bean
    @ConditionalOnMissingBean(name = "twoFactorPolicyInitializer")
    SmartInitializingSingleton twoFactorPolicyInitializer(TwoFactorService service, TwoFactorProperties properties) {
        return () -> {
            TwoFactorProperties.Policy wanted = properties.getPolicy();
            if (wanted.getLevel() == null) {
                return;
            }
            OrganisationPolicy stored = service.policy();
            if (stored.level() != wanted.getLevel() || !stored.gracePeriod().equals(wanted.getGracePeriod())) {
                service.setPolicy("twofactor.policy", wanted.getLevel(), wanted.getGracePeriod());
                LOG.info("twofactor policy set from configuration: {}", wanted.getLevel().label());
            }
        };
    }

    /**
     * The policy and step-up decisions under the bean name {@code twoFactor}, for method security:
     * {@code @PreAuthorize("@twoFactor.stepUp(authentication)")}.
     */
    @Bean(name = "twoFactor")
    @ConditionalOnMissingBean
    TwoFactorAuthorizationManager twoFactorAuthorizationManager(TwoFactorService service,
            TwoFactorProperties properties) {
        return new TwoFactorAuthorizationManager(service, users(properties),
                properties.getWeb().getRequirementMaxAge());
    }

    @Bean
    @ConditionalOnMissingBean
    TwoFactorFactors twoFactorFactors(TwoFactorService service) {
        return new TwoFactorFactors(service, null);
    }

    static Function<Authentication, UserContext> users(TwoFactorProperties properties) {
        String admin = properties.getWeb().getAdministratorAuthority();
        return authentication -> UserContext.of(authentication.getName(), authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).anyMatch(admin::equals));
    }
}
