package dev.twofactor.examples.springboot;

import dev.twofactor.examples.browser.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Path;

/** The shared headless Chromium on the sample, with only this run's screenshots in its directory. */
final class Browser extends HeadlessChromium {

    Browser(int port) throws IOException {
        super("http://localhost:" + port, emptied(Path.of(System.getenv().getOrDefault(
                "TWOFACTOR_SAMPLE_SCREENSHOTS", "target/screenshots"))));
    }
}
