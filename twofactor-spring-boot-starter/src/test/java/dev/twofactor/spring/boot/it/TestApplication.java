package dev.twofactor.spring.boot.it;

import dev.twofactor.spring.security.TwoFactorApplicationEvent;
import dev.twofactor.spring.security.TwoFactorConfigurer;
import dev.twofactor.testing.MutableClock;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The application the HTTP tests run: the starter, form login, a chain with twofactor, method security. */
@SpringBootApplication
@EnableMethodSecurity
public class TestApplication {

    /** Every event published during the run, twofactor's and Spring Security's. */
    static final List<Object> EVENTS = new CopyOnWriteArrayList<>();

    @Bean
    MutableClock clock() {
        return new MutableClock(Instant.now());
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager();
    }

    @Bean
    SecurityFilterChain app(HttpSecurity http, Customizer<TwoFactorConfigurer> twoFactorWebCustomizer)
            throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/csrf").permitAll()
                        .requestMatchers("/api/admin").hasAuthority("admin:write")
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .with(TwoFactorConfigurer.twoFactor(), twoFactorWebCustomizer)
                .build();
    }

    @EventListener
    void onTwoFactor(TwoFactorApplicationEvent event) {
        EVENTS.add(event);
    }

    @EventListener
    void onSpringSecurity(AbstractAuthenticationEvent event) {
        EVENTS.add(event);
    }

    static String describe(Authentication authentication) {
        return authentication.getName() + " " + authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Pages and API endpoints. */
    @RestController
    static class Pages {

        private final Sensitive sensitive;

        Pages(Sensitive sensitive) {
            this.sensitive = sensitive;
        }

        @GetMapping("/csrf")
        String csrf(HttpServletRequest request) {
            return ((CsrfToken) request.getAttribute(CsrfToken.class.getName())).getToken();
        }

        @GetMapping("/")
        String home(Authentication authentication) {
            return "home " + describe(authentication);
        }

        @GetMapping("/login/two-factor")
        String challenge() {
            return "challenge page";
        }

        @GetMapping("/my/profile/two-factor")
        String enrolment() {
            return "enrolment page";
        }

        @GetMapping("/my/profile/two-factor/unlock")
        String unlock() {
            return "step-up page";
        }

        @GetMapping("/settings/danger")
        String danger() {
            return "danger zone";
        }

        @GetMapping("/method/factor")
        String methodFactor() {
            return sensitive.needsFactor();
        }

        @GetMapping("/method/step-up")
        String methodStepUp() {
            return sensitive.needsStepUp();
        }

        @GetMapping("/method/admin")
        String methodAdmin() {
            return sensitive.needsAdmin();
        }

        @GetMapping("/api/reports")
        String reports(Authentication authentication) {
            return "reports " + describe(authentication);
        }

        @GetMapping("/api/admin")
        String apiAdmin() {
            return "admin api";
        }
    }

    /** Method security. */
    @Service
    public static class Sensitive {

        @PreAuthorize("hasAuthority('FACTOR_TOTP')")
        public String needsFactor() {
            return "factor seen";
        }

        @PreAuthorize("@twoFactor.stepUp(authentication)")
        public String needsStepUp() {
            return "stepped up";
        }

        @PreAuthorize("hasRole('ADMIN')")
        public String needsAdmin() {
            return "admin";
        }
    }

}
