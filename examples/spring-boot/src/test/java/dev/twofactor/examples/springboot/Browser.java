package dev.twofactor.examples.springboot;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    private static final Duration WAIT = Duration.ofSeconds(2);

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final Path screenshots;
    private final String base;
    private int shots;

    Browser(int port) throws IOException {
        this.base = "http://localhost:" + port;
        this.profile = Files.createTempDirectory("twofactor-sample-chromium");
        this.screenshots = Path.of(System.getenv().getOrDefault("TWOFACTOR_SAMPLE_SCREENSHOTS",
                "target/screenshots"));
        Files.createDirectories(screenshots);
        // Only this run's screenshots: none left over from an earlier (failed) run.
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path png : old.filter(path -> path.toString().endsWith(".png")).toList()) {
                Files.delete(png);
            }
        }
        this.service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--user-data-dir=" + profile);
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(WAIT);
    }

    /** Whether the driver and the browser are installed. */
    static boolean available() {
        return Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
    }

    void open(String path) {
        driver.get(base + path);
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

    List<String> texts(String css) {
        return all(css).stream().map(WebElement::getText).toList();
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Clicks something that loads a new page, and waits until it has replaced this one. */
    void click(String css) {
        // A mark on this document's window: a new page does not have it.
        driver.executeScript("window.twofactorOldPage = true;");
        find(css).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(WebDriverException.class).until(browser ->
                Boolean.TRUE.equals(driver.executeScript("return window.twofactorOldPage === undefined"
                        + " && document.readyState === 'complete';")));
    }

    /** Clicks something that changes this page only (a radio button, a disclosure). */
    void press(String css) {
        find(css).click();
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    /** Saves a screenshot of the whole page, numbered in the order taken. */
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

    /** Signs out with this page's sign-out button, or the home page's (which any page for a signed-in user has). */
    void signOut() {
        if (!present("#sign-out")) {
            open("/");
        }
        click("#sign-out");
    }

    /** Whether the page has the element now, without waiting for it to appear. */
    boolean present(String css) {
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            return !all(css).isEmpty();
        } finally {
            driver.manage().timeouts().implicitlyWait(WAIT);
        }
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
