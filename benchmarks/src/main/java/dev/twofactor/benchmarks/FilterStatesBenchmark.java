package dev.twofactor.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.ServletException;

import com.zaxxer.hikari.HikariDataSource;
import dev.twofactor.EnforcementLevel;
import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.Requirement;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorListener;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.jdbc.JdbcSchema;
import dev.twofactor.jdbc.JdbcTwoFactorStore;
import dev.twofactor.servlet.ChallengeResult;
import dev.twofactor.servlet.TwoFactorFilter;
import dev.twofactor.servlet.TwoFactorSignIn;
import dev.twofactor.servlet.TwoFactorWebConfig;
import dev.twofactor.spi.TwoFactorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;

/**
 * Issue 18 target 1: {@link TwoFactorFilter} on a page request in every session state, the time per request (JMH, in
 * memory, like {@link FilterBenchmark}) and, untimed in the runner's process, the SQL statements per request over
 * 10,000 requests per state on JDBC (H2, counted by {@link StatementCount}'s {@code DataSource} wrapper) with the
 * default {@link TwoFactorWebConfig#requirementMaxAge()} (10 s) and, as before it existed, with zero. The clock is
 * the benchmark's own: the 10,000 requests fall within the bound, one more request after it re-reads once, and
 * 10,000 more follow, so the count shows both the steady state and the bounded staleness.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterStatesBenchmark {

    /** The session states of a page request. */
    public enum SessionKind {
        /** Passed the challenge. */
        PASSED_CHALLENGE("passed the challenge"),
        /** Signed in with the password, the user has not enrolled, no policy. */
        PASSWORD_ONLY("password only, not enrolled"),
        /** Password only, the policy requires enrolment and its grace period runs (a reminder). */
        GRACE_PERIOD("grace period"),
        /** Password only, the policy requires enrolment now (every page redirects to enrolment). */
        ENROLMENT_REQUIRED("enrolment required"),
        /** Password accepted, the challenge is due (every page redirects to it). */
        HALF_OPEN("half-open");

        final String label;

        SessionKind(String label) {
            this.label = label;
        }
    }

    @Param
    public SessionKind state;

    private Fixture fixture;

    @Setup
    public void setUp() throws IOException, ServletException {
        fixture = new Fixture(new InMemoryTwoFactorStore(), state, null);
    }

    @Benchmark
    public Object request() throws IOException, ServletException {
        return fixture.request();
    }

    /** One session in one state behind a filter over {@code store}, with a clock the caller moves. */
    static final class Fixture {
        private static final String ENROLLED = "user-0";
        private static final String NOT_ENROLLED = "carol";

        final SignInUsers users;
        final SessionKind kind;
        final Duration maxAge;
        private final TwoFactorFilter filter;
        private final MinimalServlet.Request request;
        private final MinimalServlet.Response response = new MinimalServlet.Response();
        private final FilterBenchmark.Application application = new FilterBenchmark.Application();

        /** @param maxAge the filter's {@code requirementMaxAge}, or {@code null} for its default */
        Fixture(TwoFactorStore store, SessionKind kind, Duration maxAge) throws IOException, ServletException {
            this.kind = kind;
            SecretCipher cipher = JdbcSignIn.cipher();
            users = SignInUsers.seed(store, cipher, "user-", 1, 1_000_000L);
            TwoFactorService service = TwoFactorService.builder().issuer("Benchmarks").store(store)
                    .secretCipher(cipher).clock(users.clock).listener(TwoFactorListener.NONE).build();
            TwoFactorWebConfig.Builder builder = TwoFactorWebConfig.builder(service);
            TwoFactorWebConfig config = (maxAge == null ? builder : builder.requirementMaxAge(maxAge)).build();
            this.maxAge = config.requirementMaxAge();
            filter = new TwoFactorFilter(config);
            TwoFactorSignIn signIn = new TwoFactorSignIn(config);
            if (kind == SessionKind.GRACE_PERIOD || kind == SessionKind.ENROLMENT_REQUIRED) {
                service.setPolicy("root", EnforcementLevel.EVERYONE,
                        kind == SessionKind.GRACE_PERIOD ? Duration.ofDays(7) : Duration.ZERO);
            }
            boolean enrolled = kind == SessionKind.PASSED_CHALLENGE || kind == SessionKind.HALF_OPEN;
            MinimalServlet.Request login = new MinimalServlet.Request("POST", "/login", null);
            Requirement requirement = signIn.passwordAccepted(login,
                    UserContext.of(enrolled ? ENROLLED : NOT_ENROLLED, false));
            if (enrolled != requirement instanceof Requirement.Challenge) {
                throw new IllegalStateException(kind + ": unexpected requirement " + requirement);
            }
            if (kind == SessionKind.PASSED_CHALLENGE) {
                String code = Totp.defaults().generate(users.secrets[0], users.firstStep);
                ChallengeResult passed = signIn.verifyChallenge(login, code, null);
                if (!(passed instanceof ChallengeResult.Passed)) {
                    throw new IllegalStateException("Challenge not passed: " + passed);
                }
            }
            request = new MinimalServlet.Request("GET", "/home", login.session())
                    .header("Accept", "text/html,application/xhtml+xml");
            request();
        }

        /** One page request; fails unless the filter decided as the state demands. */
        Object request() throws IOException, ServletException {
            application.lastUser = null;
            filter.doFilter(request, response, application);
            boolean reached = application.lastUser != null;
            boolean expected = switch (kind) {
                case PASSED_CHALLENGE -> ENROLLED.equals(application.lastUser);
                case PASSWORD_ONLY, GRACE_PERIOD -> NOT_ENROLLED.equals(application.lastUser);
                case ENROLMENT_REQUIRED, HALF_OPEN -> !reached && response.status() == 302;
            };
            if (!expected) {
                throw new IllegalStateException(kind + ": the filter let " + application.lastUser + " through with "
                        + response.status());
            }
            return application.lastUser;
        }

    }

    /**
     * Counts, for each state on H2, the statements of {@code requests} page requests within the bound, of the one
     * after it, and of {@code requests} more; and with a zero bound.
     *
     * @param jmh this benchmark's results, for the time per request (may be empty)
     * @param requests the requests per state
     * @param verdicts where each state's verdict of target 1 is recorded
     * @return the report's lines, one verdict per state
     */
    static List<String> report(Collection<RunResult> jmh, int requests, Verdicts verdicts) {
        List<String> lines = new ArrayList<>();
        lines.add("\n-- Issue 18 target 1: TwoFactorFilter, every session state: SQL statements per page request over "
                + String.format(Locale.ROOT, "%,d", requests) + " requests on JDBC (H2, counting DataSource), "
                + "requirementMaxAge 10 s (default) vs 0 (read on every request, as before)");
        for (SessionKind kind : SessionKind.values()) {
            long[] bounded = statements(kind, null, requests);
            long[] everyRequest = statements(kind, Duration.ZERO, requests);
            double ns = nanosPerRequest(jmh, kind);
            lines.add(String.format(Locale.ROOT, "Target 1 (%s): %d statements over %,d requests within the bound "
                    + "(%.4f per request), %d on the first request after it, %d over the next %,d; with 0: %.2f per "
                    + "request; %s ns per request (in memory) (goal 0 per request in the steady state) -> %s",
                    kind.label, bounded[0], requests, bounded[0] / (double) requests, bounded[1], bounded[2],
                    requests, everyRequest[0] / (double) requests, Double.isNaN(ns) ? "-"
                            : String.format(Locale.ROOT, "%.0f", ns),
                    Results.verdict(bounded[0] == 0 && bounded[2] == 0)));
            verdicts.record(1, String.format(Locale.ROOT, "%s: %.4f statements per request over %,d requests",
                    kind.label, (bounded[0] + bounded[2]) / (2.0 * requests), 2 * requests),
                    bounded[0] == 0 && bounded[2] == 0);
        }
        return lines;
    }

    private static double nanosPerRequest(Collection<RunResult> jmh, SessionKind kind) {
        for (RunResult result : jmh) {
            if (kind.name().equals(result.getParams().getParam("state"))) {
                return result.getPrimaryResult().getStatistics().getPercentile(50);
            }
        }
        return Double.NaN;
    }

    /**
     * Statements over {@code requests} spread within the bound (the default one when {@code maxAge} is {@code null}),
     * on the request when it has passed, and over {@code requests} after that.
     */
    private static long[] statements(SessionKind kind, Duration maxAge, int requests) {
        try (HikariDataSource pool = JdbcSignIn.pool("h2", 1)) {
            LongAdder statements = new LongAdder();
            JdbcTwoFactorStore store = JdbcSignIn.newStore(StatementCount.counting(pool, statements,
                    Collections.synchronizedList(new ArrayList<>())));
            try {
                Fixture fixture = new Fixture(store, kind, maxAge);
                Duration bound = fixture.maxAge.isZero() ? Duration.ofSeconds(10) : fixture.maxAge;
                long start = fixture.users.clock.millis();
                long spreadMillis = bound.toMillis() - 1;   // all of them before the bound has passed
                long[] counts = new long[3];
                statements.reset();
                for (int i = 0; i < requests; i++) {
                    fixture.request();
                    fixture.users.clock.set(start + (i + 1) * spreadMillis / requests);
                }
                counts[0] = statements.sumThenReset();
                fixture.users.clock.set(start + bound.toMillis());
                fixture.request();
                counts[1] = statements.sumThenReset();
                for (int i = 0; i < requests; i++) {
                    fixture.request();
                }
                counts[2] = statements.sum();
                return counts;
            } catch (IOException | ServletException e) {
                throw new IllegalStateException("Counting the filter's statements failed", e);
            } finally {
                JdbcSchema.drop(pool, store.dialect(), store.tablePrefix());
            }
        }
    }
}
