package dev.twofactor.spring.boot;

import dev.twofactor.spring.security.TwoFactorConfigurer;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The {@code twofactor.web.*} and {@code twofactor.trusted-devices.*} properties as a
 * {@code Customizer<TwoFactorConfigurer>} bean (named {@code twoFactorWebCustomizer}) for the application's own
 * filter chain:
 * <pre>{@code
 * @Bean
 * SecurityFilterChain app(HttpSecurity http, Customizer<TwoFactorConfigurer> twoFactorWebCustomizer) {
 *     return http.authorizeHttpRequests(...).formLogin(...)
 *             .with(TwoFactorConfigurer.twoFactor(), twoFactorWebCustomizer)
 *             .build();
 * }
 * }</pre>
 * and, when the application defines no {@link SecurityFilterChain}, a default one: form login, every request but
 * the permitted paths authenticated, and twofactor with its built-in screens (challenge, step-up, the two-factor card
 * at {@code twofactor.web.enrolment-path}, whose start, regenerate and disable actions are step-up paths unless
 * {@code twofactor.web.step-up-paths} names others).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(HttpSecurity.class)
class TwoFactorWebSecurityConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "twoFactorWebCustomizer")
    Customizer<TwoFactorConfigurer> twoFactorWebCustomizer(TwoFactorProperties properties) {
        TwoFactorWebProperties web = properties.getWeb();
        return twoFactor -> twoFactor
                .challengePath(web.getChallengePath())
                .enrolmentPath(web.getEnrolmentPath())
                .stepUpPath(web.getStepUpPath())
                .loginPath(web.getLoginPath())
                .stepUpPaths(web.getStepUpPaths().toArray(String[]::new))
                .apiPaths(web.getApiPaths().toArray(String[]::new))
                .permitPaths(web.getPermitPaths().toArray(String[]::new))
                .administratorAuthority(web.getAdministratorAuthority())
                .appPasswords(web.isAppPasswords())
                .challengeTtl(web.getChallengeTtl())
                .requirementMaxAge(web.getRequirementMaxAge())
                .defaultPages(web.isDefaultPages())
                .trustedDevices(properties.getTrustedDevices().isEnabled())
                .trustedDeviceCookie(properties.getTrustedDevices().getCookieName());
    }

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain twoFactorSecurityFilterChain(HttpSecurity http, TwoFactorProperties properties,
            Customizer<TwoFactorConfigurer> twoFactorWebCustomizer) throws Exception {
        List<String> open = new ArrayList<>(properties.getWeb().getPermitPaths());
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(open.toArray(String[]::new)).permitAll()
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .with(TwoFactorConfigurer.twoFactor(), twoFactor -> {
                    twoFactorWebCustomizer.customize(twoFactor);
                    twoFactor.defaultPages(true);
                    if (properties.getWeb().getStepUpPaths().isEmpty()) {
                        String card = properties.getWeb().getEnrolmentPath();
                        twoFactor.stepUpPaths(card + "/start", card + "/recovery-codes", card + "/disable");
                    }
                });
        return http.build();
    }
}
