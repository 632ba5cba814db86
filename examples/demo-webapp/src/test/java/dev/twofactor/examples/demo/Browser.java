package dev.twofactor.examples.demo;

import dev.twofactor.examples.browser.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Path;

/** The shared headless Chromium on the demo, with the demo's failure report. */
final class Browser extends HeadlessChromium {

    Browser(TestApp app) throws IOException {
        super(stripSlash(app.uri("/").toString()),
                Path.of(System.getenv().getOrDefault("TWOFACTOR_DEMO_SCREENSHOTS", "target/screenshots")));
    }

    private static String stripSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** One walk through the demo in the browser. */
    interface Walk {
        void run() throws Exception;
    }

    /**
     * Runs {@code walk}; when it fails, takes the screenshot {@code failureShot} and reports the page it failed on.
     */
    void walk(String failureShot, Walk walk) throws Exception {
        try {
            walk.run();
        } catch (AssertionError | RuntimeException e) {
            shot(failureShot);
            throw new AssertionError("at " + driver.getCurrentUrl() + ": " + e.getMessage() + "\n"
                    + find("main").getText(), e);
        }
    }
}
