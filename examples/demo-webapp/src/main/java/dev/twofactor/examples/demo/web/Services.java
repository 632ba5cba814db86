package dev.twofactor.examples.demo.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.twofactor.TwoFactorService;
import dev.twofactor.examples.demo.DemoSettings;
import dev.twofactor.examples.demo.DemoUsers;
import dev.twofactor.examples.demo.SecurityActivity;
import dev.twofactor.examples.demo.sdkgap.LiveServiceSettings;
import dev.twofactor.servlet.TrustedDeviceSignIn;
import dev.twofactor.servlet.TwoFactorSignIn;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * What the demo's servlets share.
 *
 * @param live the SDK objects of the current settings
 * @param saveSettings stores changed settings (then applied to {@code live})
 * @param users the accounts
 * @param activity the security events
 * @param pages the templates
 * @param clock the clock of the service and the filter
 * @param json JSON for the APIs
 */
public record Services(LiveServiceSettings<DemoSettings> live, Consumer<DemoSettings> saveSettings, DemoUsers users,
                       SecurityActivity activity, Pages pages, Clock clock,
                       ObjectMapper json) {

    /** @return the current service */
    public TwoFactorService service() {
        return live.runtime().service();
    }

    /** @return the current sign-in helper */
    public TwoFactorSignIn signIn() {
        return live.runtime().signIn();
    }

    /** @return "remember this device" of the current settings: the checkbox, the device list, revocation */
    public TrustedDeviceSignIn devices() {
        return new TrustedDeviceSignIn(live.runtime().config());
    }

    /** @return the current settings */
    public DemoSettings settings() {
        return live.settings();
    }

    /**
     * @param response the response
     * @param status the status
     * @param body a value Jackson writes as JSON
     * @throws IOException if the response cannot be written
     */
    public void json(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        json.writeValue(response.getOutputStream(), body);
    }
}
