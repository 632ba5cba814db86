package dev.twofactor.examples.springboot;

import dev.twofactor.EnforcementLevel;
import dev.twofactor.Outcome;
import dev.twofactor.TwoFactorService;
import dev.twofactor.TwoFactorStatus;
import dev.twofactor.spring.security.TwoFactorFactors;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Admin security settings ({@code /admin/settings/security}): the policy levers and admin unenrol. */
@Controller
@RequestMapping("/admin/settings/security")
public class AdminSettings {

    private final TwoFactorService twoFactor;

    AdminSettings(TwoFactorService twoFactor) {
        this.twoFactor = twoFactor;
    }

    /**
     * The settings screen asks for a recent verification already, so that the step-up comes before the form (a
     * form posted without one would be lost: only GET requests are saved to come back to).
     */
    @GetMapping
    @PreAuthorize("@twoFactor.stepUp(authentication)")
    public String settings(Model model) {
        model.addAttribute("policy", twoFactor.policy());
        model.addAttribute("levels", EnforcementLevel.values());
        return "admin";
    }

    /** After a step-up the saved request comes back as a GET. */
    @GetMapping({"/policy", "/unenrol"})
    public String afterStepUp() {
        return "redirect:/admin/settings/security";
    }

    /** Changing the policy is a sensitive action: method security asks for a recent verification. */
    @PostMapping("/policy")
    @PreAuthorize("@twoFactor.stepUp(authentication)")
    public String policy(Authentication authentication, HttpServletRequest request,
            @RequestParam EnforcementLevel level, @RequestParam(defaultValue = "0") long graceDays,
            RedirectAttributes flash) {
        twoFactor.setPolicy(authentication.getName(), level, Duration.ofDays(Math.max(0, graceDays)));
        // This session applies the new policy on its next request; every other one within
        // twofactor.web.requirement-max-age.
        TwoFactorFactors.requirementChanged(request);
        flash.addFlashAttribute("notice", "Policy saved: " + level.label() + ".");
        return "redirect:/admin/settings/security";
    }

    @PostMapping("/unenrol")
    String unenrol(Authentication authentication, @RequestParam String user, @RequestParam String code,
            RedirectAttributes flash) {
        Outcome<TwoFactorStatus> done = twoFactor.adminUnenrol(authentication.getName(), code, user);
        flash.addFlashAttribute(done.succeeded() ? "notice" : "error",
                done.succeeded() ? "Two-factor authentication removed for " + user + "." : done.message());
        return "redirect:/admin/settings/security";
    }
}
