package dev.twofactor.examples.springboot;

import dev.twofactor.RecoveryCodeAccepted;
import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorState;
import dev.twofactor.spring.security.TwoFactorAuthenticationFilter;
import dev.twofactor.spring.security.TwoFactorAuthorizationManager;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Sign-in, the challenge, the step-up screen and the home page. */
@Controller
class Pages {

    private final TwoFactorService twoFactor;
    private final TwoFactorAuthorizationManager requirements;

    Pages(TwoFactorService twoFactor, TwoFactorAuthorizationManager requirements) {
        this.twoFactor = twoFactor;
        this.requirements = requirements;
    }

    @GetMapping("/login")
    String login(HttpServletRequest request, Model model) {
        model.addAttribute("error", lastError(request));
        return "login";
    }

    @GetMapping("/login/two-factor")
    String challenge(HttpServletRequest request, Model model) {
        model.addAttribute("error", lastError(request));
        return "challenge";
    }

    @GetMapping("/my/profile/two-factor/unlock")
    String unlock(HttpServletRequest request, Authentication authentication, Model model) {
        model.addAttribute("error", lastError(request));
        // The code and recovery-code forms only for users who have a second factor to present.
        model.addAttribute("twoFactorEnabled",
                twoFactor.status(authentication.getName()).state() == TwoFactorState.ENABLED);
        return "unlock";
    }

    @GetMapping("/")
    String home(Authentication authentication, HttpServletRequest request, HttpSession session, Model model) {
        Object accepted = session.getAttribute(TwoFactorAuthenticationFilter.RECOVERY_CODE_ACCEPTED_ATTRIBUTE);
        session.removeAttribute(TwoFactorAuthenticationFilter.RECOVERY_CODE_ACCEPTED_ATTRIBUTE);
        if (accepted instanceof RecoveryCodeAccepted codes) {
            model.addAttribute("remaining", codes.remaining());
            codes.replacementCodes().ifPresent(set -> model.addAttribute("recoveryCodes", set.codes()));
        }
        boolean admin = isAdmin(authentication);
        // What the enforcement read for this session (at most twofactor.web.requirement-max-age ago): no store read.
        Requirement requirement = requirements.requirementFor(authentication, request);
        if (requirement instanceof Requirement.Enrol enrol) {
            model.addAttribute("reminder", enrol.message());
        }
        model.addAttribute("user", authentication.getName());
        model.addAttribute("admin", admin);
        return "home";
    }

    static boolean isAdmin(Authentication authentication) {
        return authentication.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
    }

    /** The last sign-in, challenge or step-up failure's text (never an input), shown once. */
    static String lastError(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || request.getParameter("error") == null) {
            return null;
        }
        Object failure = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        return failure instanceof AuthenticationException e ? e.getMessage() : null;
    }
}
