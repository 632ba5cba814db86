package dev.twofactor.examples.demo;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium through /usr/bin/chromedriver, headless, with a fresh profile; nothing is downloaded (the driver
 * and the browser are named explicitly, and surefire sets {@code SE_OFFLINE=true} for Selenium Manager).
 */
final class Browser implements AutoCloseable {

    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final Path screenshots;
    private final TestApp app;
    private int shots;

    Browser(TestApp app) throws IOException {
        this.app = app;
        this.profile = Files.createTempDirectory("twofactor-demo-chromium");
        this.screenshots = Path.of(System.getenv().getOrDefault("TWOFACTOR_DEMO_SCREENSHOTS", "target/screenshots"));
        Files.createDirectories(screenshots);
        this.service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    }

    void open(String path) {
        driver.get(app.uri(path).toString());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Clicks something that loads a new page, and waits until it has replaced this one. */
    void click(String css) {
        click(find(css));
    }

    void click(WebElement element) {
        // A mark on this document's window: a new page does not have it.
        driver.executeScript("window.twofactorOldPage = true;");
        element.click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(WebDriverException.class).until(browser ->
                Boolean.TRUE.equals(driver.executeScript("return window.twofactorOldPage === undefined"
                        + " && document.readyState === 'complete';")));
    }

    /** Clicks something that changes this page only (a checkbox, a disclosure, a copy button). */
    void press(String css) {
        find(css).click();
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    /** One walk through the demo in the browser. */
    interface Walk {
        void run() throws Exception;
    }

    /**
     * Aborts the calling test when Debian's chromium or chromium-driver is missing, and fails it instead with
     * {@code CI=true}.
     */
    static void requireInstalled() {
        if (!Files.isExecutable(DRIVER) || !Files.isExecutable(CHROMIUM)) {
            String message = "The browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                    + "/usr/bin/chromedriver): apt-get install chromium chromium-driver";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
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

    /** Saves a screenshot of the whole page (beyond the window), numbered in the order taken. */
    void shot(String name) throws IOException {
        shots++;
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight;");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", 1280, "height", height.intValue(), "scale", 1);
        Map<String, Object> result = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.write(screenshots.resolve(String.format("%02d-%s.png", shots, name)),
                Base64.getDecoder().decode((String) result.get("data")));
    }

    void signIn(String user, String password) {
        open("/login");
        type("#username", user);
        type("#password", password);
        click("#sign-in");
    }

    void signOut() {
        click("#sign-out");
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
