package dev.twofactor.examples.browser;

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
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium through /usr/bin/chromedriver, headless, with a fresh profile that {@link #close()} deletes;
 * nothing is downloaded (the driver and the browser are named explicitly, and the examples' surefire sets
 * {@code SE_OFFLINE=true} for Selenium Manager). Each example's own {@code Browser} extends this with what its
 * pages need.
 */
public class HeadlessChromium implements AutoCloseable {

    /** Debian's chromium-driver. */
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Debian's chromium. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration PAGE_LOAD = Duration.ofSeconds(10);
    private static final int WIDTH = 1280;

    /** The driver, for what the helpers below do not cover. */
    public final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final Path screenshots;
    private final String base;
    private int shots;

    /**
     * Starts the browser.
     *
     * @param base        the application's address without a trailing slash, e.g. {@code http://localhost:8080}
     * @param screenshots where {@link #shot} writes; created if missing
     * @throws IOException if the profile or the screenshot directory cannot be made
     */
    public HeadlessChromium(String base, Path screenshots) throws IOException {
        this.base = base;
        this.profile = Files.createTempDirectory("twofactor-example-chromium");
        this.screenshots = screenshots;
        Files.createDirectories(screenshots);
        this.service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=" + WIDTH + ",900", "--user-data-dir=" + profile);
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(WAIT);
    }

    /**
     * Deletes the {@code .png} files an earlier run left in a screenshot directory, for a test that wants only its
     * own run's screenshots there.
     *
     * @param screenshots the directory; created if missing
     * @return {@code screenshots}
     * @throws IOException if a file cannot be deleted
     */
    public static Path emptied(Path screenshots) throws IOException {
        Files.createDirectories(screenshots);
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path png : old.filter(path -> path.toString().endsWith(".png")).toList()) {
                Files.delete(png);
            }
        }
        return screenshots;
    }

    /**
     * Returns whether Debian's chromium and chromium-driver are installed.
     *
     * @return whether both executables are there
     */
    public static boolean available() {
        return Files.isExecutable(DRIVER) && Files.isExecutable(CHROMIUM);
    }

    /**
     * Aborts the calling test when Debian's chromium or chromium-driver is missing, and fails it instead with
     * {@code CI=true}.
     */
    public static void requireInstalled() {
        if (!available()) {
            String message = "The browser test needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
                    + "/usr/bin/chromedriver): apt-get install chromium chromium-driver";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
    }

    /**
     * Loads a page of the application.
     *
     * @param path the path, with a leading slash
     */
    public void open(String path) {
        driver.get(base + path);
    }

    /**
     * Finds the element, waiting up to 2 s for it to appear.
     *
     * @param css a CSS selector
     * @return the first match
     */
    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /**
     * Finds every element that matches.
     *
     * @param css a CSS selector
     * @return the matches, waiting up to 2 s for the first
     */
    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /**
     * Returns the element's visible text.
     *
     * @param css a CSS selector
     * @return the text of the first match
     */
    public String text(String css) {
        return find(css).getText();
    }

    /**
     * Returns the visible texts of every match.
     *
     * @param css a CSS selector
     * @return the texts, in document order
     */
    public List<String> texts(String css) {
        return all(css).stream().map(WebElement::getText).toList();
    }

    /**
     * Replaces the field's value.
     *
     * @param css  a CSS selector of an input
     * @param text what to type
     */
    public void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /**
     * Clicks something that loads a new page, and waits until it has replaced this one.
     *
     * @param css a CSS selector
     */
    public void click(String css) {
        click(find(css));
    }

    /**
     * Clicks something that loads a new page, and waits until it has replaced this one.
     *
     * @param element the element
     */
    public void click(WebElement element) {
        // A mark on this document's window: a new page does not have it.
        driver.executeScript("window.twofactorOldPage = true;");
        element.click();
        new WebDriverWait(driver, PAGE_LOAD).ignoring(WebDriverException.class).until(browser ->
                Boolean.TRUE.equals(driver.executeScript("return window.twofactorOldPage === undefined"
                        + " && document.readyState === 'complete';")));
    }

    /**
     * Clicks something that changes this page only (a checkbox, a radio button, a disclosure, a copy button).
     *
     * @param css a CSS selector
     */
    public void press(String css) {
        find(css).click();
    }

    /**
     * Returns whether the page has the element now, without waiting for it to appear.
     *
     * @param css a CSS selector
     * @return whether anything matches
     */
    public boolean present(String css) {
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            return !all(css).isEmpty();
        } finally {
            driver.manage().timeouts().implicitlyWait(WAIT);
        }
    }

    /**
     * Returns the path of the page shown.
     *
     * @return the current URL's path
     */
    public String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    /**
     * Signs in on {@code /login} with the {@code #username}, {@code #password} and {@code #sign-in} of every example's
     * login page.
     *
     * @param user     the user name
     * @param password the password
     */
    public void signIn(String user, String password) {
        open("/login");
        type("#username", user);
        type("#password", password);
        click("#sign-in");
    }

    /** Signs out with this page's {@code #sign-out} button, or the home page's when this page has none. */
    public void signOut() {
        if (!present("#sign-out")) {
            open("/");
        }
        click("#sign-out");
    }

    /**
     * Saves a screenshot of the whole page (beyond the window), numbered in the order taken.
     *
     * @param name the file name's part after the number, without {@code .png}
     * @throws IOException if the file cannot be written
     */
    public void shot(String name) throws IOException {
        shots++;
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight;");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", WIDTH, "height", height.intValue(), "scale", 1);
        Map<String, Object> result = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.write(screenshots.resolve(String.format("%02d-%s.png", shots, name)),
                Base64.getDecoder().decode((String) result.get("data")));
    }

    /** Quits the browser and the driver and deletes the profile. */
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
