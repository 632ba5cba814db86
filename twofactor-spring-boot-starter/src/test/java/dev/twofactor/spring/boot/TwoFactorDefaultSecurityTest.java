package dev.twofactor.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.spring.security.TwoFactorAuthenticationFilter;
import dev.twofactor.spring.security.TwoFactorEnforcementFilter;
import jakarta.servlet.Filter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

class TwoFactorDefaultSecurityTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SecurityAutoConfiguration.class,
                    ServletWebSecurityAutoConfiguration.class, TwoFactorAutoConfiguration.class))
            .withPropertyValues("twofactor.issuer=ACME",
                    "twofactor.keys=k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

    @Test
    void startWithoutAFilterChainThenTheStartersChainHasTwoFactor() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasBean("twoFactorSecurityFilterChain")
                    .hasSingleBean(SecurityFilterChain.class);
            List<Filter> filters = context.getBean(SecurityFilterChain.class).getFilters();
            assertThat(filters).hasAtLeastOneElementOfType(TwoFactorAuthenticationFilter.class)
                    .hasAtLeastOneElementOfType(TwoFactorEnforcementFilter.class);
        });
    }

    @Test
    void startWithTheApplicationsOwnFilterChainThenTheStarterAddsNone() {
        runner.withUserConfiguration(OwnChain.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("twoFactorSecurityFilterChain");
            assertThat(context.getBean(SecurityFilterChain.class).getFilters())
                    .noneMatch(TwoFactorEnforcementFilter.class::isInstance);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChain {
        @Bean
        SecurityFilterChain own(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
    }
}
