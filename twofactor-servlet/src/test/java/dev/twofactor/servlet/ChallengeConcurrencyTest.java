package dev.twofactor.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twofactor.BackoffPolicy;
import dev.twofactor.servlet.TwoFactorApp.Enrolled;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The challenge cannot be raced: parallel submissions of one half-open session give at most one sign-in. */
class ChallengeConcurrencyTest {

    private static final int PARALLEL = 32;

    private TwoFactorApp app;
    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        if (app != null) {
            app.close();
        }
    }

    @Test
    void challengeWhenParallelWrongCodesAndPageRequestsThenNoSignInAndPagesStayBlocked() throws Exception {
        app = TwoFactorApp.start(new TwoFactorApp.Options().backoff(tolerant()));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String right = app.code(alice.secret());
        String wrong = right.equals("123456") ? "654321" : "123456";

        List<Callable<HttpResponse<String>>> submissions = new ArrayList<>();
        List<Callable<HttpResponse<String>>> pages = new ArrayList<>();
        for (int i = 0; i < PARALLEL / 2; i++) {
            submissions.add(() -> browser.post("/login/two-factor", Map.of("code", wrong)));
            pages.add(() -> browser.get("/home"));
        }
        List<Callable<HttpResponse<String>>> all = new ArrayList<>(submissions);
        all.addAll(pages);
        List<HttpResponse<String>> responses = runTogether(all);

        assertThat(responses).filteredOn(ChallengeConcurrencyTest::signedIn).isEmpty();
        assertThat(responses).filteredOn(r -> r.request().method().equals("GET"))
                .allSatisfy(page -> HalfOpenSignInTest.assertRedirect(page, "/app/login/two-factor"));
        HalfOpenSignInTest.assertRedirect(browser.get("/home"), "/app/login/two-factor");
    }

    @Test
    void challengeWhenParallelRightAndWrongCodesThenExactlyOneSignIn() throws Exception {
        // Every submission is checked (no backoff refusal), so only the replay protection stands between the
        // sixteen copies of the right code and sixteen sign-ins.
        app = TwoFactorApp.start(new TwoFactorApp.Options().backoff(tolerant()));
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String right = app.code(alice.secret());
        String wrong = right.equals("123456") ? "654321" : "123456";

        List<Callable<HttpResponse<String>>> submissions = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            String code = i % 2 == 0 ? right : wrong;
            submissions.add(() -> browser.post("/login/two-factor", Map.of("code", code)));
        }
        List<HttpResponse<String>> responses = runTogether(submissions);

        assertThat(responses).filteredOn(ChallengeConcurrencyTest::signedIn).hasSize(1);
        assertThat(browser.get("/home").body()).contains("user=alice");
    }

    @Test
    void challengeWhenParallelSubmissionsUnderDefaultBackoffThenAtMostOneSignIn() throws Exception {
        app = TwoFactorApp.start();
        Enrolled alice = app.enrol("alice");
        Browser browser = app.browser();
        browser.signIn("alice", "alice-password");
        String right = app.code(alice.secret());
        String wrong = right.equals("123456") ? "654321" : "123456";

        List<Callable<HttpResponse<String>>> submissions = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            String code = i % 4 == 0 ? right : wrong;
            submissions.add(() -> browser.post("/login/two-factor", Map.of("code", code)));
        }
        List<HttpResponse<String>> responses = runTogether(submissions);

        assertThat(responses).filteredOn(ChallengeConcurrencyTest::signedIn).hasSizeLessThanOrEqualTo(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 429)
                .allSatisfy(r -> assertThat(r.headers().firstValue("Retry-After")).isPresent());
        if (responses.stream().noneMatch(ChallengeConcurrencyTest::signedIn)) {
            HalfOpenSignInTest.assertRedirect(browser.get("/home"), "/app/login/two-factor");
        }
    }

    private static BackoffPolicy tolerant() {
        return BackoffPolicy.builder().toleratedFailures(1000).lockAfter(2000).build();
    }

    /** A passed challenge redirects to the application; every other answer names the challenge or sign-in. */
    private static boolean signedIn(HttpResponse<String> response) {
        return response.request().method().equals("POST") && response.statusCode() == 302
                && response.headers().firstValue("Location").map(HalfOpenSignInTest::stripOrigin)
                .filter(location -> location.equals("/app/") || location.equals("/app/home")).isPresent();
    }

    private List<HttpResponse<String>> runTogether(List<Callable<HttpResponse<String>>> tasks) throws Exception {
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (Callable<HttpResponse<String>> task : tasks) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return task.call();
            }));
        }
        assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
        go.countDown();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> future : futures) {
            responses.add(future.get(60, TimeUnit.SECONDS));
        }
        return responses;
    }
}
