package dev.twofactor.examples.demo.sdkgap;

import dev.twofactor.TwoFactorService;
import dev.twofactor.servlet.AdminUnenrolServlet;
import dev.twofactor.servlet.TwoFactorFilter;
import dev.twofactor.servlet.TwoFactorSignIn;
import dev.twofactor.servlet.TwoFactorWebConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * SDK gap: the recovery-code policy (8 codes or one emergency key) and "I have saved my recovery codes" are fixed when
 * a {@link TwoFactorService} is built, but the administrator changes them on the security settings screen. This holds
 * the service, its web configuration, the sign-in helper, the filter and the admin unenrol endpoint as one immutable
 * {@link Runtime}, rebuilt from the settings on every change, and is itself the filter the container calls (it
 * delegates to the current one).
 * All state lives in the store and the session (the servlet module keeps its session state independent of the
 * configuration object), so a swap loses nothing. Replace with the SDK's runtime settings once they exist.
 *
 * @param <S> the settings the runtime is built from
 */
public final class LiveServiceSettings<S> implements Filter {

    /** One consistent set of SDK objects. */
    public record Runtime(TwoFactorService service, TwoFactorWebConfig config, TwoFactorSignIn signIn,
                          TwoFactorFilter filter, AdminUnenrolServlet adminUnenrol) {

        /**
         * @param config the web configuration
         * @return the runtime of that configuration
         */
        public static Runtime of(TwoFactorWebConfig config) {
            return new Runtime(config.service(), config, new TwoFactorSignIn(config), new TwoFactorFilter(config),
                    new AdminUnenrolServlet(config));
        }
    }

    private final Function<S, Runtime> factory;
    private final AtomicReference<Runtime> current = new AtomicReference<>();
    private final AtomicReference<S> settings = new AtomicReference<>();
    /** The container's configuration once {@link #init} ran, handed to every later filter too. */
    private FilterConfig filterConfig;

    /**
     * @param initial the settings at start
     * @param factory builds the runtime of given settings
     */
    public LiveServiceSettings(S initial, Function<S, Runtime> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
        apply(initial);
    }

    /**
     * @param next the new settings; the runtime built from them serves every request from now on
     */
    public synchronized void apply(S next) {
        Runtime runtime = factory.apply(next);
        if (filterConfig != null) {
            runtime.filter().init(filterConfig);
        }
        settings.set(next);
        current.set(runtime);
    }

    /** @return the current settings */
    public S settings() {
        return settings.get();
    }

    /** @return the current runtime */
    public Runtime runtime() {
        return current.get();
    }

    @Override
    public synchronized void init(FilterConfig config) throws ServletException {
        this.filterConfig = config;
        current.get().filter().init(config);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        current.get().filter().doFilter(request, response, chain);
    }
}
