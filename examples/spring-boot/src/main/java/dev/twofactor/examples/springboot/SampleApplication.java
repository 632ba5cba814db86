package dev.twofactor.examples.springboot;

import dev.twofactor.spring.security.TwoFactorConfigurer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A Spring Boot 4 application with twofactor: form login, then the 2FA card, the challenge, step-up before sensitive
 * actions, app passwords over HTTP Basic on {@code /api/**} and the organisation policy on the admin screen.
 */
@SpringBootApplication
@EnableMethodSecurity
public class SampleApplication {

    private static final Logger LOG = LoggerFactory.getLogger(SampleApplication.class);

    /** The seeded users: name, password, administrator. Demo passwords, printed at start. */
    static final String[][] USERS = {
        {"alice", "alice-password", "false"},
        {"bob", "bob-password", "false"},
        {"admin", "admin-password", "true"},
    };

    /**
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    @Bean
    InMemoryUserDetailsManager users() {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        for (String[] user : USERS) {
            User.UserBuilder builder = User.withUsername(user[0]).password("{noop}" + user[1]);
            users.createUser(Boolean.parseBoolean(user[2]) ? builder.roles("USER", "ADMIN").build()
                    : builder.roles("USER").build());
        }
        return users;
    }

    @Bean
    SecurityFilterChain app(HttpSecurity http, Customizer<TwoFactorConfigurer> twoFactorWebCustomizer)
            throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/css/**", "/error").permitAll()
                        .requestMatchers("/admin/**").hasRole("ADMIN")
                        .anyRequest().authenticated())
                .formLogin(form -> form.loginPage("/login").permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .with(TwoFactorConfigurer.twoFactor(), twoFactorWebCustomizer)
                .build();
    }

    @Bean
    ApplicationRunner printUsers() {
        return arguments -> {
            StringBuilder text = new StringBuilder("Seeded users (name / password):");
            for (String[] user : USERS) {
                text.append("\n    ").append(user[0]).append(" / ").append(user[1])
                        .append(Boolean.parseBoolean(user[2]) ? "   (administrator)" : "");
            }
            LOG.info("{}", text);
        };
    }
}
