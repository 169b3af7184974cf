package io.gantry.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.app.testing.AgentUnderTest;
import io.gantry.app.testing.LocalRegistry;
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
import java.util.Optional;
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
 * {@code target/dashboard-screenshots/} (docs/dashboard.md shows some of them). The container form writes descriptor
 * files into the agent's deployment directory, which the agent deploys with {@code policy.privileged} off.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserIT {

    private static final String PASSWORD = "gateway-operator-1";
    private static final String REGISTRY_USER = "gateway17";
    private static final String REGISTRY_PASSWORD = "registry-secret-17";
    private static final Path SHOTS = Path.of("target", "dashboard-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static PrivateEngine engine;
    private static Mosquitto broker;
    private static AgentUnderTest agent;
    private static LocalRegistry registry;
    private static String privateImage;
    private static String base;

    private ChromeDriverService service;
    private WebDriver browser;

    @BeforeAll
    static void engineBrokerAndAgent() throws IOException {
        Files.createDirectories(SHOTS);
        Files.createDirectories(dir.resolve("containers"));
        // An image only an authenticated pull gets: pushed with the password, then removed from the engine.
        registry = LocalRegistry.start(Files.createDirectories(dir.resolve("registry")), Optional.of(REGISTRY_USER),
                Optional.of(REGISTRY_PASSWORD));
        privateImage = registry.address() + "/form/app";
        engine = PrivateEngine.start();
        broker = Mosquitto.on(dir).start();
        engine.docker("tag", TestImages.BUSYBOX, privateImage + ":1");
        engine.docker("login", "-u", REGISTRY_USER, "-p", REGISTRY_PASSWORD, registry.address());
        engine.docker("push", privateImage + ":1");
        engine.docker("logout", registry.address());
        engine.docker("rmi", privateImage + ":1");
        int port = Processes.freePort();
        String hash = PasswordHash.of(PASSWORD.toCharArray(), 1000).format();
        agent = AgentUnderTest.start(dir.resolve("agent"), "{"
                + "\"connection\": {\"broker_url\": \"" + broker.url() + "\"},"
                + "\"engine\": {\"host\": \"" + engine.host() + "\", \"default_stop_timeout\": \"2s\"},"
                + "\"things\": {\"device_id\": \"dashboard.test:gw\", \"tenant_id\": \"t\"},"
                + "\"deployment\": {\"enable\": true, \"directory\": \"" + dir.resolve("containers") + "\"},"
                + "\"update_agent\": {\"settle_time\": \"1s\"},"
                // Refuses privileged containers, so that refusals can be shown (the form's file and gantry create).
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
        if (registry != null) {
            registry.close();
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

    @Test
    @Order(7)
    void aBadValue_isShownNextToItsField_andNothingIsWritten() throws Exception {
        logIn();
        newContainer("formweb");
        fill("f-memory", "lots");
        browser.findElement(By.id("save")).click();

        WebElement error = waiting(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("error-memory")));
        // the descriptor parser's own words, as the log would give them for a file
        assertThat(error.getText()).startsWith("host_config.resources");
        assertThat(browser.findElement(By.id("f-memory")).getAttribute("aria-invalid")).isEqualTo("true");
        try (var files = Files.list(dir.resolve("containers"))) {
            assertThat(files).isEmpty();
        }
        shot("form-error");
    }

    @Test
    @Order(8)
    void theForm_writesADescriptorFile_andTheContainerRuns() throws Exception {
        logIn();
        newContainer("formweb");
        fill("f-env", "GREETING=hello");
        fill("f-cmd", "sleep\n3600");
        fill("f-memory", "64M");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("f-restart"))).selectByValue("always");
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        shot("form");
        browser.findElement(By.id("save")).click();

        waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "formweb.json written"));
        Path file = dir.resolve("containers").resolve("formweb.json");
        assertThat(Files.readString(file)).contains("\"container_name\" : \"formweb\"", "GREETING=hello");
        await().atMost(WAIT).until(() -> engine.names().contains("formweb")
                && engine.inspect("formweb").path("State").path("Running").asBoolean());
        JsonNode created = engine.inspect("formweb");
        assertThat(created.path("HostConfig").path("Memory").asLong()).isEqualTo(64L << 20);
        assertThat(created.path("HostConfig").path("RestartPolicy").path("Name").asText()).isEqualTo("always");
        // the detail of a container made from a file links to its form
        browser.get(base + "/container?id=" + created.path("Id").asText());
        waiting(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("edit"))).click();
        waiting(WAIT).until(d -> d.findElement(By.id("f-env")).getAttribute("value").equals("GREETING=hello"));
        assertThat(browser.getCurrentUrl()).isEqualTo(base + "/form?file=formweb.json");
    }

    @Test
    @Order(9)
    void editing_changesTheFileAndTheContainer_andEnabledOff_removesTheContainerButKeepsTheFile() throws Exception {
        logIn();
        String before = engine.inspect("formweb").path("Id").asText();
        browser.get(base + "/form?file=formweb.json");
        waiting(WAIT).until(d -> d.findElement(By.id("f-env")).getAttribute("value").equals("GREETING=hello"));
        fill("f-env", "GREETING=changed");
        browser.findElement(By.id("save")).click();
        waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "written"));
        Path file = dir.resolve("containers").resolve("formweb.json");
        assertThat(Files.readString(file)).contains("GREETING=changed").doesNotContain("GREETING=hello");
        await().atMost(WAIT).until(() -> engine.names().contains("formweb")
                && engine.inspect("formweb").path("Config").path("Env").toString().contains("GREETING=changed")
                && engine.inspect("formweb").path("State").path("Running").asBoolean());
        assertThat(engine.inspect("formweb").path("Id").asText()).isNotEqualTo(before);

        browser.findElement(By.id("f-enabled")).click();
        assertThat(browser.findElement(By.id("f-enabled")).isSelected()).isFalse();
        browser.findElement(By.id("save")).click();
        waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "written"));
        await().atMost(WAIT).until(() -> !engine.names().contains("formweb"));
        assertThat(Files.readString(file)).contains("\"enabled\" : false", "GREETING=changed");
        browser.navigate().refresh();
        waiting(WAIT).until(d -> d.findElement(By.cssSelector("#files tr[data-file='formweb.json'] .enabled"))
                .getText().equals("no"));
        assertThat(browser.findElement(By.id("f-enabled")).isSelected()).isFalse();
        assertThat(browser.findElement(By.id("f-env")).getAttribute("value")).isEqualTo("GREETING=changed");
    }

    @Test
    @Order(10)
    void aPolicyRefusal_ofTheFilesContainer_isShownInTheForm() throws Exception {
        logIn();
        newContainer("privy");
        fill("f-cmd", "sleep\n3600");
        browser.findElement(By.id("f-privileged")).click();
        browser.findElement(By.id("save")).click();
        waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "privy.json written"));

        // the file is valid; the deployment's policy check refuses its container, and the form says so
        await().atMost(WAIT).until(() -> {
            browser.navigate().refresh();
            return !waiting(WAIT).until(d -> d.findElement(By.id("f-name")).getAttribute("value").equals("privy")
                    ? d.findElement(By.id("deployment-problem")) : null).getText().isEmpty();
        });
        assertThat(browser.findElement(By.id("deployment-problem")).getText()).contains("policy.privileged");
        assertThat(browser.findElement(By.cssSelector("#files tr[data-file='privy.json'] .problem")).getText())
                .contains("policy.privileged");
        assertThat(engine.names()).doesNotContain("privy");
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        shot("form-refused");
        browser.manage().window().setSize(new Dimension(390, 844));
        shot("form-phone");
    }

    /** The form of a new container of the test image, named {@code name}. */
    private void newContainer(String name) {
        browser.get(base + "/form");
        fill("f-name", name);
        fill("f-image", TestImages.BUSYBOX.substring(0, TestImages.BUSYBOX.lastIndexOf(':')));
        fill("f-tag", TestImages.BUSYBOX.substring(TestImages.BUSYBOX.lastIndexOf(':') + 1));
    }

    private void fill(String id, String text) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    @Test
    @Order(11)
    void registryCredentialsFromTheForm_pullAPrivateImage_andNeverComeBackToTheBrowser() throws Exception {
        logIn();
        browser.get(base + "/form");
        fill("f-name", "private");
        fill("f-image", privateImage);
        fill("f-tag", "1");
        fill("f-cmd", "sleep\n3600");
        fill("f-registry_user", REGISTRY_USER);
        fill("f-registry_password", REGISTRY_PASSWORD);
        browser.findElement(By.id("save")).click();
        waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "private.json"));

        // pulled with the saved credentials: the configuration has none for this registry
        await().atMost(WAIT).until(() -> engine.names().contains("private")
                && engine.inspect("private").path("State").path("Running").asBoolean());
        assertThat(Files.readString(dir.resolve("containers").resolve("private.json"))).doesNotContain(REGISTRY_PASSWORD);
        assertThat(browser.findElement(By.id("f-registry_password")).getAttribute("value")).isEmpty();
        assertThat(browser.findElement(By.id("f-registry_password")).getAttribute("placeholder")).startsWith("saved");
        assertThat(browser.findElement(By.id("f-registry_user")).getAttribute("value")).isEqualTo(REGISTRY_USER);
        assertThat(browser.getPageSource()).doesNotContain(REGISTRY_PASSWORD);
        assertThat(String.join("\n", agent.warnings())).doesNotContain(REGISTRY_PASSWORD);
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
