package dev.twofactor.servlet;

import static dev.twofactor.servlet.HalfOpenSignInTest.assertRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The filter decides on {@code REQUEST} dispatches only; a host that maps it for every dispatcher type gets the same
 * protection (the request that starts a dispatch was decided first) and working error pages.
 */
class DispatcherTypesTest {

    private TwoFactorApp app;

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    @Test
    void mappedForRequestOnlyWhenPageFailsThenErrorPageSeesSignedInUser() throws Exception {
        app = TwoFactorApp.start();
        assertErrorPagesAndHalfOpen(app.enrol("alice"));
    }

    @Test
    void mappedForEveryDispatcherTypeThenHalfOpenStillRefusedAndErrorPageWorks() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().dispatcherTypes(EnumSet.allOf(DispatcherType.class)));
        assertErrorPagesAndHalfOpen(app.enrol("alice"));
    }

    private void assertErrorPagesAndHalfOpen(Enrolled alice) {
        Browser halfOpen = app.browser();
        halfOpen.signIn("alice", "alice-password");
        int hitsBefore = app.applicationHits.get();

        // The failing page is refused before it can fail: no error dispatch can show it to a half-open session.
        assertRedirect(halfOpen.get("/boom"), "/app/login/two-factor");
        assertThat(halfOpen.getJson("/boom").statusCode()).isEqualTo(401);
        assertThat(halfOpen.get("/error-page").statusCode()).isEqualTo(302);
        assertThat(app.applicationHits.get()).isEqualTo(hitsBefore);

        Browser signedIn = app.browser();
        app.signInWithCode(signedIn, alice);
        HttpResponse<String> failed = signedIn.get("/boom");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).contains("error page dispatch=ERROR", "user=alice");
        assertThat(signedIn.post("/login/two-factor", Map.of("code", "000000")).statusCode()).isEqualTo(302);
    }
}
