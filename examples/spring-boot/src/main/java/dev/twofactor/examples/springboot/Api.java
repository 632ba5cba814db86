package dev.twofactor.examples.springboot;

import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The API: reached with an app password over HTTP Basic, or from a signed-in browser session. */
@RestController
class Api {

    @GetMapping("/api/me")
    Map<String, Object> me(Authentication authentication) {
        return Map.of("user", authentication.getName(), "authorities", authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority).collect(Collectors.toCollection(TreeSet::new)));
    }
}
