package dev.twofactor.spring.boot.defaults;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** An application that adds only users and a page: the starter supplies the filter chain and the screens. */
@SpringBootApplication
public class DefaultsApplication {

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(User.withUsername("erin").password("{noop}erin-pw").roles("USER")
                .build());
    }

    /** The application's one page. */
    @RestController
    static class Home {
        @GetMapping("/")
        String home() {
            return "home";
        }
    }
}
