package dev.twofactor.benchmarks;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;

import dev.twofactor.InMemoryTwoFactorStore;
import dev.twofactor.Requirement;
import dev.twofactor.SecretCipher;
import dev.twofactor.Totp;
import dev.twofactor.TwoFactorService;
import dev.twofactor.UserContext;
import dev.twofactor.servlet.ChallengeResult;
import dev.twofactor.servlet.TwoFactorFilter;
import dev.twofactor.servlet.TwoFactorSignIn;
import dev.twofactor.servlet.TwoFactorWebConfig;
import dev.twofactor.spi.TwoFactorStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Target 6: what {@link TwoFactorFilter} adds to a request of a session that passed the challenge, measured by
 * calling the filter directly with {@link MinimalServlet}'s request, response and session (no container), against
 * the same request handed straight to the same application chain. The session is signed in through the real helper:
 * password accepted, then the challenge passed with a code. The store counts every call made to it, so the runner can
 * show that such requests query it zero times. Every other session state, and their SQL statements on JDBC:
 * {@link FilterStatesBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterBenchmark {

    private static final String USER = "user-0";

    private TwoFactorFilter filter;
    private MinimalServlet.Request request;
    private MinimalServlet.Response response;
    private Application application;
    private LongAdder storeCalls;

    /** The host application behind the filter: it only looks at who is signed in. */
    static final class Application implements FilterChain {
        Object lastUser;

        @Override
        public void doFilter(ServletRequest request, jakarta.servlet.ServletResponse response) {
            lastUser = ((HttpServletRequest) request).getRemoteUser();
        }
    }

    @Setup
    public void setUp() throws IOException, ServletException {
        storeCalls = new LongAdder();
        TwoFactorStore store = counting(new InMemoryTwoFactorStore(), storeCalls);
        SecretCipher cipher = JdbcSignIn.cipher();
        SignInUsers users = SignInUsers.seed(store, cipher, "user-", 1, 1_000_000L);
        TwoFactorService service = users.service(store, cipher);
        TwoFactorWebConfig config = TwoFactorWebConfig.builder(service).build();
        filter = new TwoFactorFilter(config);
        TwoFactorSignIn signIn = new TwoFactorSignIn(config);

        MinimalServlet.Request login = new MinimalServlet.Request("POST", "/login", null);
        Requirement requirement = signIn.passwordAccepted(login, UserContext.of(USER, false));
        if (!(requirement instanceof Requirement.Challenge)) {
            throw new IllegalStateException("Expected the challenge to be due, got " + requirement);
        }
        String code = Totp.defaults().generate(users.secrets[0], users.firstStep);
        ChallengeResult passed = signIn.verifyChallenge(login, code, null);
        if (!(passed instanceof ChallengeResult.Passed)) {
            throw new IllegalStateException("Challenge not passed: " + passed);
        }

        request = new MinimalServlet.Request("GET", "/home", login.session())
                .header("Accept", "text/html,application/xhtml+xml");
        response = new MinimalServlet.Response();
        application = new Application();
        filter.doFilter(request, response, application);
        if (!USER.equals(application.lastUser) || response.status() != 200) {
            throw new IllegalStateException("A verified session did not reach the application signed in (status "
                    + response.status() + ", user " + application.lastUser + ")");
        }
        application.doFilter(request, response);
        if (application.lastUser != null) {
            throw new IllegalStateException("Without the filter nobody should be signed in");
        }
        storeCalls.reset();
    }

    @Benchmark
    public Object withFilter() throws IOException, ServletException {
        filter.doFilter(request, response, application);
        return application.lastUser;
    }

    @Benchmark
    public Object withoutFilter() throws IOException, ServletException {
        application.doFilter(request, response);
        return application.lastUser;
    }

    /** Runs {@code requests} verified-session requests through the filter and returns the store calls they made. */
    static long storeCallsFor(int requests) throws IOException, ServletException {
        FilterBenchmark benchmark = new FilterBenchmark();
        benchmark.setUp();
        for (int i = 0; i < requests; i++) {
            benchmark.withFilter();
        }
        if (!USER.equals(benchmark.application.lastUser)) {
            throw new IllegalStateException("The verified session lost its sign-in");
        }
        return benchmark.storeCalls.sum();
    }

    /** Wraps a store so that every call to it, of any SPI method, is counted. */
    static TwoFactorStore counting(TwoFactorStore target, LongAdder calls) {
        return (TwoFactorStore) Proxy.newProxyInstance(FilterBenchmark.class.getClassLoader(),
                new Class<?>[] {TwoFactorStore.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(target, args);
                    }
                    calls.increment();
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
