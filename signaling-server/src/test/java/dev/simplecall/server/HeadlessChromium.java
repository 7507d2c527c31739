package dev.simplecall.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}) with a fake camera
 * and microphone, driven by Selenium. The driver path is set explicitly, so Selenium never tries to
 * download one; every launch gets a fresh profile directory, removed on {@link #close()}.
 *
 * <pre>{@code
 * try (HeadlessChromium alice = HeadlessChromium.launch("alice")) {
 *   alice.openAndStart(server + "/?room=r1&id=alice&autostart=1");
 *   alice.await(Duration.ofSeconds(10), "joined", js -> js.js("return simplecall.signaling").equals("joined"));
 * }
 * }</pre>
 */
public final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final String PACKAGES =
      "headless Chromium tests need the Debian packages chromium and chromium-driver"
          + " (apt-get install chromium chromium-driver; ./scripts/test installs them)";

  /** Flags measured to work for headless Chromium 156 here (see issue 7). */
  static final List<String> FLAGS = List.of(
      "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--disable-features=WebRtcHideLocalIpsWithMdns", // host candidates as plain IPs, no mDNS traffic
      "--allow-loopback-in-peer-connection", // so calls also work inside a loopback-only network namespace
      "--use-fake-device-for-media-stream=fps=30", "--use-fake-ui-for-media-stream",
      "--autoplay-policy=no-user-gesture-required",
      "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
      "--window-size=1280,860");

  private final String name;
  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(String name, ChromeDriverService service, ChromeDriver driver, Path profile) {
    this.name = name;
    this.service = service;
    this.driver = driver;
    this.profile = profile;
  }

  /** Starts Chromium; a missing or broken installation fails with a message naming the packages. */
  public static HeadlessChromium launch(String name) {
    return launch(name, CHROMIUM, CHROMEDRIVER);
  }

  static HeadlessChromium launch(String name, Path chromium, Path chromedriver) {
    Objects.requireNonNull(name, "name == null");
    for (Path program : List.of(chromium, chromedriver)) {
      if (!Files.isExecutable(program)) throw new AssertionError(PACKAGES + ": " + program + " is missing");
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("simplecall-chromium-" + name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(FLAGS);
    options.addArguments("--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
      return new HeadlessChromium(name, service, driver, profile);
    } catch (WebDriverException e) {
      service.stop();
      deleteTree(profile);
      throw new AssertionError("could not start headless Chromium: " + PACKAGES + "; cause: " + e.getMessage(), e);
    }
  }

  public String name() {
    return name;
  }

  public void open(String url) {
    driver.get(url);
  }

  /**
   * Opens a page link with {@code autostart=1} and answers its "join and start camera?" prompt the way
   * a user would: a click on the prompt's start button.
   */
  public void openAndStart(String url) {
    open(url);
    click("start-yes");
  }

  /** A real (WebDriver) click on the element with this id; fails if it is hidden or disabled. */
  public void click(String elementId) {
    driver.findElement(By.id(elementId)).click();
  }

  /**
   * From now on every document this browser loads records its Content Security Policy violations
   * (from before its first script runs); read them with {@link #cspViolations()}.
   */
  public void recordCspViolations() {
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
        "window.__cspViolations = [];"
            + "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
            + "e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber));"));
  }

  /** The violations the current document recorded (see {@link #recordCspViolations()}). */
  public List<?> cspViolations() {
    Object v = js("return window.__cspViolations");
    if (!(v instanceof List<?> list)) throw new AssertionError(name + ": CSP violations are not being recorded (got " + v + ")");
    return list;
  }

  /** Runs a script; a returned Promise is awaited by the driver. */
  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  public long jsLong(String script, Object... args) {
    Object value = js(script, args);
    if (!(value instanceof Number)) throw new AssertionError(name + ": expected a number from " + script + ", got " + value);
    return ((Number) value).longValue();
  }

  /**
   * Polls {@code probe} until it returns something other than null or false, at most {@code timeout};
   * on timeout fails with {@code what}, the last value and the page's log.
   */
  public <T> T await(Duration timeout, String what, Function<HeadlessChromium, T> probe) {
    Object[] last = new Object[1];
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).until(d -> {
        T value = probe.apply(this);
        last[0] = value;
        return value;
      });
    } catch (TimeoutException e) {
      throw new AssertionError(name + ": timed out after " + timeout.toSeconds() + " s waiting for " + what
          + " (last value " + last[0] + ")\npage log:\n" + pageLog(), e);
    }
  }

  /** Waits until the page's call state is {@code state}. */
  public void awaitState(Duration timeout, String state) {
    await(timeout, "call state " + state, b -> state.equals(b.js("return simplecall.state")));
  }

  /** The page's own log lines, newest first. */
  public String pageLog() {
    try {
      Object text = js("return document.getElementById('log').innerText");
      return String.valueOf(text);
    } catch (WebDriverException e) {
      return "(page log unavailable: " + e.getMessage() + ")";
    }
  }

  public byte[] screenshotPng() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  /**
   * Saves a screenshot as {@code target/screenshots/<fileName>}; with {@code -Dsimplecall.screenshots=update}
   * also as {@code ../docs/images/<fileName>}, the pictures the README shows (so a plain test run leaves
   * the work tree clean).
   */
  public Path saveScreenshot(String fileName) {
    byte[] png = screenshotPng();
    try {
      Path saved = Files.createDirectories(Path.of("target", "screenshots")).resolve(fileName);
      Files.write(saved, png);
      if ("update".equals(System.getProperty("simplecall.screenshots"))) {
        saved = Files.createDirectories(Path.of("..", "docs", "images")).resolve(fileName);
        Files.write(saved, png);
      }
      return saved;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save screenshot " + fileName, e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp profile is harmless
    }
  }
}
