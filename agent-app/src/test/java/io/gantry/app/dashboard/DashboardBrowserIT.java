package io.gantry.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.Mosquitto;
import io.gantry.app.testing.PrivateEngine;
import io.gantry.app.testing.Processes;
import io.gantry.app.testing.TestImages;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's chromium, headless, driven through its chromedriver by Selenium, against
 * a real agent, a real Mosquitto and a Docker engine of the test's own ({@link PrivateEngine}: a desired state removes
 * every managed container it does not name, which must never reach other people's containers). Screenshots go to
 * {@code target/dashboard-screenshots/} (docs/dashboard.md shows some of them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final String PASSWORD = "gateway-operator-1";
    private static final Path SHOTS = Path.of("target", "dashboard-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static PrivateEngine engine;
    private static Mosquitto broker;
    private static AgentUnderTest agent;
    private static String base;

    private ChromeDriverService service;
    private WebDriver browser;

    @BeforeAll
    static void engineBrokerAndAgent() throws IOException {
        Files.createDirectories(SHOTS);
        engine = PrivateEngine.start();
        broker = Mosquitto.on(dir).start();
        int port = Processes.freePort();
        String hash = PasswordHash.of(PASSWORD.toCharArray(), 1000).format();
        agent = AgentUnderTest.start(dir.resolve("agent"), "{"
                + "\"connection\": {\"broker_url\": \"" + broker.url() + "\"},"
                + "\"engine\": {\"host\": \"" + engine.host() + "\", \"default_stop_timeout\": \"2s\"},"
                + "\"things\": {\"device_id\": \"dashboard.test:gw\", \"tenant_id\": \"t\"},"
                + "\"deployment\": {\"enable\": false},"
                + "\"update_agent\": {\"settle_time\": \"1s\"},"
                // Refuses privileged containers, so that a refusal can be shown (no other case asks for one).
                + "\"policy\": {\"privileged\": false},"
                + "\"state_dir\": \"" + dir.resolve("state") + "\","
                + "\"dashboard\": {\"enable\": true, \"listen\": \"127.0.0.1:" + port + "\", \"password_hash\": \""
                + hash + "\"}}");
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    static void stopAll() {
        if (agent != null) {
            agent.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @BeforeEach
    void openBrowser() throws IOException {
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium-profile"));
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @Test
    @Order(1)
    void noPage_opensWithoutLoggingIn() {
        for (String path : List.of("/", "/container?id=" + "0".repeat(64))) {
            browser.get(base + path);
            assertThat(browser.getCurrentUrl()).as(path).isEqualTo(base + "/login");
            assertThat(browser.findElements(By.id("password"))).isNotEmpty();
        }
        browser.get(base + "/api/status");
        assertThat(browser.findElement(By.tagName("body")).getText()).isEqualTo("log in first");
        shot("login");
    }

    @Test
    @Order(2)
    void aWrongPassword_isRefused() {
        browser.get(base + "/login");
        browser.findElement(By.id("password")).sendKeys("not-the-password");
        browser.findElement(By.id("login")).click();
        // The click submits a form: wait for the answer page rather than reading the one being left.
        waiting(WAIT).until(ExpectedConditions.textToBe(By.id("problem"), "Wrong password."));
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/login");
        browser.get(base + "/");
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/login");
        assertThat(agent.warnings()).anyMatch(w -> w.contains("wrong password from 127.0.0.1"));
        assertThat(String.join("\n", agent.warnings())).doesNotContain("not-the-password");
    }

    @Test
    @Order(3)
    void aContainerStartedWithDockerRun_appearsWithinASecond() {
        logIn();
        waiting(WAIT).until(ExpectedConditions.textToBe(By.id("live"), "live"));
        engine.docker("run", "-d", "--name", "ticker", TestImages.BUSYBOX, "sh", "-c",
                "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.3; done");
        // The figure: the engine's create and start events reach the page as they happen, no polling.
        WebElement row = waiting(Duration.ofSeconds(1)).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-name='ticker']")));
        assertThat(row.findElement(By.className("managed")).getText()).isEqualTo("by hand");
        waiting(WAIT).until(d -> d.findElement(By.cssSelector("tr[data-name='ticker'] .state"))
                .getText().startsWith("running"));
        waiting(WAIT).until(d -> !d.findElement(By.cssSelector("tr[data-name='ticker'] .mem"))
                .getText().isEmpty());
        shot("list");
        browser.manage().window().setSize(new Dimension(390, 844));
        shot("list-phone");
    }

    @Test
    @Order(4)
    void theLogView_followsNewLines() {
        logIn();
        browser.get(base + "/container?id=" + engine.inspect("ticker").path("Id").asText());
        WebDriverWait wait = waiting(WAIT);
        wait.until(d -> !d.findElements(By.cssSelector("#log div")).isEmpty());
        int first = lastTick();
        wait.until(d -> lastTick() >= first + 3);
        // by hand, so shown and not touched (dashboard.act_on_unmanaged is off)
        assertThat(browser.findElement(By.id("stop")).isEnabled()).isFalse();
        // the plots: the samples kept since the container started, then each new one as it is pushed
        wait.until(d -> !d.findElements(By.cssSelector("#cpu-plot polyline")).isEmpty()
                && !d.findElements(By.cssSelector("#mem-plot polyline")).isEmpty());
        assertThat(browser.findElement(By.id("mem-now")).getText()).matches("[0-9.]+ (B|KiB|MiB)");
        shot("container-log");
    }

    @Test
    @Order(5)
    void aDesiredStateFromMosquittoPub_showsItsProgressToCompleted_andStoppingFromThePageStopsIt() throws Exception {
        logIn();
        WebDriverWait wait = waiting(WAIT);
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        Path desired = dir.resolve("desired.json");
        Files.writeString(desired, "{\"activityId\": \"dashboard-op-1\", \"timestamp\": 1, \"payload\": {\"domains\":"
                + " [{\"id\": \"containers\", \"config\": [], \"components\": [{\"id\": \"web\", \"version\": \"1\","
                + " \"config\": [{\"key\": \"image\", \"value\": \"" + TestImages.BUSYBOX + "\"},"
                + " {\"key\": \"cmd\", \"value\": \"sleep\"}, {\"key\": \"cmd\", \"value\": \"3600\"}]}]}]}}");
        Processes.run("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(broker.port()), "-q", "1",
                "-t", "containersupdate/desiredstate", "-f", desired.toString());
        By done = By.cssSelector("#update-last .operation[data-activity='dashboard-op-1'] .op-status");
        wait.until(ExpectedConditions.presenceOfElementLocated(done));
        assertThat(browser.findElement(done).getText()).isEqualTo("COMPLETED");
        wait.until(d -> d.findElement(By.cssSelector("tr[data-name='web'] .managed")).getText()
                .equals("desired state"));
        assertThat(browser.findElement(By.id("twin")).getText()).contains("Connected", "yes");
        shot("list-after-update");

        browser.findElement(By.cssSelector("tr[data-name='web'] .name a")).click();
        wait.until(d -> d.findElement(By.id("state")).getText().startsWith("running"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("stop"))).click();
        wait.until(d -> d.findElement(By.id("state")).getText().startsWith("exited"));
        JsonNode web = engine.inspect("web");
        assertThat(web.path("State").path("Running").asBoolean()).isFalse();
        assertThat(browser.findElement(By.id("spec")).getText()).contains("\"image\": \"" + TestImages.BUSYBOX);
        shot("container-stopped");
    }

    @Test
    @Order(6)
    void anActionWithoutItsCsrfToken_isRefused_andChangesNothing() {
        engine.docker("start", "web");
        logIn();
        String id = engine.inspect("web").path("Id").asText();
        browser.get(base + "/container?id=" + id);
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('/api/containers/" + id + "/stop', {method: 'POST', credentials: 'same-origin'})"
                        + ".then(r => done(r.status), e => done(String(e)));");
        assertThat(status).isEqualTo(403L);
        assertThat(engine.inspect("web").path("State").path("Running").asBoolean()).isTrue();
        assertThat(agent.warnings()).anyMatch(w -> w.contains("no valid CSRF token"));
    }

    /** A wait that reads the page again when it has re-rendered an element under it (rows, the state line). */
    @Test
    @Order(7)
    void aRefusalOfGantryCreate_appearsInTheRecentRefusals_whileThePageIsOpen() {
        logIn();
        waiting(WAIT).until(d -> !d.findElement(By.id("twin")).getText().isEmpty()); // the status has arrived
        assertThat(browser.findElement(By.id("refusals-section")).isDisplayed()).isFalse();

        io.gantry.app.cli.CliRun run = io.gantry.app.cli.CliRun.of(
                config -> new io.gantry.app.docker.DockerContainerEngine(() -> config), java.time.Clock.systemUTC(),
                "--config", agent.configFile().toString(), "create", "--name", "wants-root", "--privileged",
                TestImages.BUSYBOX);
        assertThat(run.exit()).isEqualTo(77);

        waiting(WAIT).until(d -> d.findElement(By.id("refusals-section")).isDisplayed());
        WebElement row = browser.findElement(By.cssSelector("#refusals tbody tr"));
        assertThat(row.getText()).contains("cli", "policy.privileged", TestImages.BUSYBOX, "wants-root", "refused",
                "the container asks to be privileged");
        shot("refusals");
    }

    private WebDriverWait waiting(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(browser, timeout);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    private void logIn() {
        browser.get(base + "/login");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        waiting(WAIT).until(ExpectedConditions.urlToBe(base + "/"));
    }

    private int lastTick() {
        List<WebElement> lines = browser.findElements(By.cssSelector("#log div"));
        Matcher m = Pattern.compile("tick (\\d+)").matcher(lines.get(lines.size() - 1).getText());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private void shot(String name) {
        try {
            File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(file.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
