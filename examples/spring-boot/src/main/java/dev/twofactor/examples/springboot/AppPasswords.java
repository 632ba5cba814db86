package dev.twofactor.examples.springboot;

import dev.twofactor.AppPassword;
import dev.twofactor.AppPasswordScope;
import dev.twofactor.NewAppPassword;
import dev.twofactor.Outcome;
import dev.twofactor.TwoFactorService;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * App passwords ({@code /my/profile/app-passwords}): listing, creating and revoking are step-up paths. Use
 * one with {@code curl -u alice:CODE http://localhost:8080/api/me}.
 */
@Controller
class AppPasswords {

    private static final DateTimeFormatter LAST_USED = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final TwoFactorService twoFactor;

    AppPasswords(TwoFactorService twoFactor) {
        this.twoFactor = twoFactor;
    }

    @GetMapping("/my/profile/app-passwords")
    String list(Authentication authentication, Model model) {
        List<AppPassword> appPasswords = twoFactor.appPasswords(authentication.getName());
        model.addAttribute("appPasswords", appPasswords);
        model.addAttribute("lastUsed", appPasswords.stream().collect(Collectors.toMap(AppPassword::id,
                p -> p.lastUsedAt() == null ? "never" : LAST_USED.format(p.lastUsedAt()))));
        model.addAttribute("user", authentication.getName());
        return "app-passwords";
    }

    @GetMapping({"/my/profile/app-passwords/create", "/my/profile/app-passwords/revoke"})
    String afterStepUp() {
        return "redirect:/my/profile/app-passwords";
    }

    @PostMapping("/my/profile/app-passwords/create")
    String create(Authentication authentication, @RequestParam String name,
            @RequestParam(defaultValue = "") String permissions, RedirectAttributes flash) {
        Set<String> granted = Arrays.stream(permissions.split("[,\\s]+")).filter(p -> !p.isBlank())
                .collect(Collectors.toSet());
        AppPasswordScope scope = granted.isEmpty() ? AppPasswordScope.FULL : AppPasswordScope.limited(granted);
        Outcome<NewAppPassword> created = twoFactor.createAppPassword(authentication.getName(), name, scope);
        if (created instanceof Outcome.Success<NewAppPassword> success) {
            flash.addFlashAttribute("newCode", success.value().code());
        } else {
            flash.addFlashAttribute("error", created.message());
        }
        return "redirect:/my/profile/app-passwords";
    }

    @PostMapping("/my/profile/app-passwords/revoke")
    String revoke(Authentication authentication, @RequestParam String id, RedirectAttributes flash) {
        var revoked = twoFactor.revokeAppPassword(authentication.getName(), id);
        if (!revoked.succeeded()) {
            flash.addFlashAttribute("error", revoked.message());
        }
        return "redirect:/my/profile/app-passwords";
    }
}
