package dev.twofactor.examples.springboot;

import dev.twofactor.Confirmation;
import dev.twofactor.Enrolment;
import dev.twofactor.Outcome;
import dev.twofactor.RecoveryCodes;
import dev.twofactor.Requirement;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorState;
import dev.twofactor.TwoFactorStatus;
import dev.twofactor.spring.security.TwoFactorAuthorizationManager;
import dev.twofactor.spring.security.TwoFactorFactors;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The two-factor card ({@code /my/profile/two-factor}): state badge, enable with QR and secret, confirm, recovery
 * codes shown once, regenerate, change app, disable. Starting, changing, regenerating and disabling are step-up paths
 * (application.properties), so twofactor asks for a recent verification before these handlers run.
 */
@Controller
@RequestMapping("/my/profile/two-factor")
class TwoFactorCard {

    /** Dates as the pages show them ("1 December 2026"), in UTC. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final TwoFactorService twoFactor;
    private final TwoFactorFactors factors;
    private final TwoFactorAuthorizationManager requirements;

    TwoFactorCard(TwoFactorService twoFactor, TwoFactorFactors factors, TwoFactorAuthorizationManager requirements) {
        this.twoFactor = twoFactor;
        this.requirements = requirements;
        this.factors = factors;
    }

    @GetMapping
    String card(Authentication authentication, HttpServletRequest request, Model model) {
        TwoFactorStatus status = twoFactor.status(authentication.getName());
        model.addAttribute("status", status);
        model.addAttribute("badge", switch (status.state()) {
            case NOT_CONFIGURED -> "Not configured";
            case PENDING_CONFIRMATION -> "Pending confirmation";
            case ENABLED -> "Enabled";
        });
        model.addAttribute("enabled", status.state() == TwoFactorState.ENABLED);
        model.addAttribute("pending", status.pendingExpiresAt() != null);
        if (status.enabledAt() != null) {
            model.addAttribute("enabledOn", DATE.format(status.enabledAt()));
        }
        // What the enforcement read for this session (at most twofactor.web.requirement-max-age ago): no store read.
        Requirement requirement = requirements.requirementFor(authentication, request);
        if (requirement instanceof Requirement.Enrol enrol) {
            model.addAttribute("required", enrol.message());
        }
        return "two-factor";
    }

    /** After a step-up the saved request is replayed as a GET: back to the card, where the button now works. */
    @GetMapping({"/start", "/change", "/disable", "/recovery-codes"})
    String afterStepUp() {
        return "redirect:/my/profile/two-factor";
    }

    @PostMapping({"/start", "/change"})
    String start(Authentication authentication, RedirectAttributes flash) {
        String user = authentication.getName();
        Outcome<Enrolment> started = twoFactor.status(user).state() == TwoFactorState.ENABLED
                ? twoFactor.changeAuthenticator(user, user + "@example.com")
                : twoFactor.startEnrolment(user, user + "@example.com");
        if (started instanceof Outcome.Success<Enrolment> success) {
            flash.addFlashAttribute("qr", success.value().qrCode().pngDataUri(4));
            flash.addFlashAttribute("secret", success.value().secret().grouped());
        } else {
            flash.addFlashAttribute("error", started.message());
        }
        return "redirect:/my/profile/two-factor";
    }

    @PostMapping("/confirm")
    String confirm(Authentication authentication, @RequestParam String code, HttpServletRequest request,
            HttpServletResponse response, RedirectAttributes flash) {
        Outcome<Confirmation> confirmed = twoFactor.confirmEnrolment(authentication.getName(), code);
        if (confirmed instanceof Outcome.Success<Confirmation> success) {
            // The code just checked is a verified second factor: no challenge right after enabling.
            factors.grantTotp(request, response);
            success.value().newRecoveryCodes().ifPresent(codes -> flash.addFlashAttribute("recoveryCodes",
                    codes.codes()));
            flash.addFlashAttribute("notice", "Two-factor authentication is enabled.");
        } else {
            flash.addFlashAttribute("error", confirmed.message());
        }
        return "redirect:/my/profile/two-factor";
    }

    @PostMapping("/cancel")
    String cancel(Authentication authentication, HttpServletRequest request, RedirectAttributes flash) {
        Outcome<TwoFactorStatus> cancelled = twoFactor.cancelEnrolment(authentication.getName());
        if (cancelled.succeeded()) {
            TwoFactorFactors.requirementChanged(request);
        } else {
            flash.addFlashAttribute("error", cancelled.message());
        }
        return "redirect:/my/profile/two-factor";
    }

    @PostMapping("/recovery-codes")
    String regenerate(Authentication authentication, RedirectAttributes flash) {
        Outcome<RecoveryCodes> codes = twoFactor.regenerateRecoveryCodes(authentication.getName());
        if (codes instanceof Outcome.Success<RecoveryCodes> success) {
            flash.addFlashAttribute("recoveryCodes", success.value().codes());
        } else {
            flash.addFlashAttribute("error", codes.message());
        }
        return "redirect:/my/profile/two-factor";
    }

    @PostMapping("/disable")
    String disable(Authentication authentication, HttpServletRequest request, @RequestParam String password,
            RedirectAttributes flash) {
        Outcome<TwoFactorStatus> disabled = twoFactor.disable(authentication.getName(), password.toCharArray());
        if (disabled.succeeded()) {
            // The next request reads again: a policy that requires enrolment sends the user back at once.
            TwoFactorFactors.requirementChanged(request);
        }
        flash.addFlashAttribute(disabled.succeeded() ? "notice" : "error",
                disabled.succeeded() ? "Two-factor authentication is disabled." : disabled.message());
        return "redirect:/my/profile/two-factor";
    }
}
