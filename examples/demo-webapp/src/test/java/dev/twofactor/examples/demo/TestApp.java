package dev.twofactor.examples.demo;

import dev.twofactor.SecretHasher;
import dev.twofactor.Totp;
import dev.twofactor.TotpSecret;
import dev.twofactor.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/** The demo on a free port, a fresh data directory and a clock the test moves on (codes are single-use per step). */
// close() stops Jetty, whose stop() declares InterruptedException; javac's "try" lint would flag every
// try-with-resources over it.
@SuppressWarnings("try")
final class TestApp implements AutoCloseable {

    final MutableClock clock;
    final Path dataDir;
    DemoApp app;

    private TestApp(Path dataDir, MutableClock clock) throws Exception {
        this.dataDir = dataDir;
        this.clock = clock;
        this.app = DemoApp.start(options());
    }

    static TestApp start() throws Exception {
        return new TestApp(Files.createTempDirectory("twofactor-demo-test"),
                new MutableClock(Instant.parse("2026-12-01T09:00:00Z")));
    }

    private DemoApp.Options options() {
        return new DemoApp.Options().dataDir(dataDir).port(0).clock(clock).hasher(SecretHasher.pbkdf2(1000));
    }

    /** Stops the application and starts it again on the same data directory (a new port). */
    void restart() throws Exception {
        app.close();
        app = DemoApp.start(options());
    }

    URI uri(String path) {
        return app.uri().resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    String code(String secret) {
        return Totp.defaults().generateAt(TotpSecret.fromBase32(secret), clock.instant());
    }

    /** Moves the clock to the next 30-second step, so that a fresh code can be accepted. */
    void nextStep() {
        clock.advance(Duration.ofSeconds(30));
    }

    @Override
    public void close() throws Exception {
        try {
            app.close();
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        // best effort
                    }
                });
            }
        }
    }
}
