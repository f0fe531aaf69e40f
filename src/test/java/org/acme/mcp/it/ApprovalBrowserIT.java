package org.acme.mcp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.acme.mcp.support.KeycloakServer;
import org.acme.mcp.support.KeycloakTokens;
import org.acme.mcp.support.ProdJar;
import org.acme.mcp.support.StatelessHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Human approval end to end, with every part real: the packaged prod server with the kill switch's
 * {@code kill-switch-engage} set to need approval, Keycloak, and Chromium driven by Selenium. The administrator's
 * call is answered with a link; the person opens it in the browser, signs in at Keycloak (authorization code flow
 * with PKCE), reads what will run (in German, as the browser asks) and approves; the client's retry runs the tool,
 * once. Attacks: another user on the page, a form posted without the page's token or from another origin, a retry for
 * other arguments, a replayed retry, a redirect parameter on the page. A denied call never runs.
 */
class ApprovalBrowserIT {

    static final Path WORK = Path.of("target", "approval-browser-it");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final JsonObject URL_ELICITATION = new JsonObject().put("elicitation",
            new JsonObject().put("url", new JsonObject()));

    static KeycloakServer keycloak;
    static ProdJar server;
    static int port;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        keycloak = new KeycloakServer();
        Map<String, String> oidc = keycloak.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.http.host", "127.0.0.1");
        config.put("quarkus.http.port", String.valueOf(port));
        config.put("quarkus.otel.sdk.disabled", "true");
        // 127.0.0.1: the host the realm's loopback redirect URI of the approval client matches, on any port
        config.put("mcp.security.resource", base() + "/mcp");
        config.put("quarkus.oidc.token.audience", "mcp-server");
        config.put("mcp.security.transport.tls-termination", "proxy");
        config.put("mcp.audit.trail.directory", WORK.resolve("audit").toString());
        config.put("mcp.audit.trail.hmac-key", "approval-it-audit-key-0123456789");
        config.put("mcp.round-trip.state-key", "approval-it-request-state-key-0123456789");
        config.put("mcp.incident.state-file", WORK.resolve("incident.json").toString());
        config.put(KeycloakServer.OIDC_AUTH_SERVER_URL, oidc.get(KeycloakServer.OIDC_AUTH_SERVER_URL));
        config.put("quarkus.oidc.token.issuer", oidc.get("quarkus.oidc.token.issuer"));
        config.put("quarkus.oidc.approval.tenant-enabled", "true");
        config.put("quarkus.oidc.approval.client-id", "mcp-approval");
        config.put("quarkus.oidc.approval.credentials.secret", "approval-secret");
        config.put("mcp.rbac.tools.\"kill-switch-engage\".approval", "true");
        server = ProdJar.launch(config);
        assertTrue(server.awaitStartedOrExit(), server.output());
        // carol is the realm's administrator; a fresh interactive login satisfies the kill switch's max auth age
        admin = KeycloakTokens.authorizationCode(KeycloakServer.realmUrl(), "mcp-inspector",
                "http://127.0.0.1/callback", "carol", "carol", "mcp.admin");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (keycloak != null) {
            keycloak.stop();
        }
    }

    static String base() {
        return "http://127.0.0.1:" + port;
    }

    static WebDriver browser(String language) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=" + language);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    /** Opens the approval page and signs in at Keycloak as {@code user} when it asks. */
    static void open(WebDriver browser, String url, String user) {
        browser.get(url);
        if (browser.getCurrentUrl().startsWith(KeycloakServer.baseUrl())) {
            assertTrue(browser.getCurrentUrl().contains("code_challenge_method=S256"), browser.getCurrentUrl());
            browser.findElement(By.id("username")).sendKeys(user);
            browser.findElement(By.id("password")).sendKeys(user);
            browser.findElement(By.id("kc-login")).click();
        }
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1")));
        assertTrue(browser.getCurrentUrl().startsWith(base() + "/approvals/"), browser.getCurrentUrl());
    }

    /** The outcome the page shows after a decision. */
    static String outcome(WebDriver browser) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(10))
                    .until(ExpectedConditions.presenceOfElementLocated(By.id("outcome")));
        } catch (TimeoutException e) {
            throw new AssertionError("no outcome on " + browser.getCurrentUrl() + ":\n" + browser.getPageSource(), e);
        }
        return browser.findElement(By.id("outcome")).getText();
    }

    static Response engage(String target, String state) {
        JsonObject params = new JsonObject().put("name", "kill-switch-engage")
                .put("arguments", new JsonObject().put("kind", "tool").put("target", target).put("reason", "APPROVAL-IT"))
                .put("_meta", StatelessHttp.meta().put("io.modelcontextprotocol/clientCapabilities", URL_ELICITATION));
        if (state != null) {
            params.put("requestState", state).put("inputResponses",
                    new JsonObject().put("approval", new JsonObject().put("action", "accept")));
        }
        return StatelessHttp.request(admin, "tools/call").baseUri(base()).header("Mcp-Name", "kill-switch-engage")
                .body(StatelessHttp.body(5, "tools/call", params)).post("/mcp");
    }

    /** The tools the kill switch has switched off, as {@code kill-switch-status} (no approval needed) reports them. */
    static String disabledTools() {
        JsonObject params = new JsonObject().put("name", "kill-switch-status").put("arguments", new JsonObject());
        JsonObject status = result(StatelessHttp.request(admin, "tools/call").baseUri(base())
                .header("Mcp-Name", "kill-switch-status").body(StatelessHttp.body(6, "tools/call", params)).post("/mcp"));
        return status.getJsonObject("structuredContent").getJsonArray("disabledTools").encode();
    }

    static JsonObject result(Response response) {
        assertEquals(200, response.statusCode(), response.asString());
        return new JsonObject(response.asString()).getJsonObject("result");
    }

    static String pageUrl(JsonObject asked) {
        assertEquals("input_required", asked.getString("resultType"), asked.encode());
        return asked.getJsonObject("inputRequests").getJsonObject("approval").getJsonObject("params").getString("url");
    }

    /** The page's form posted outside the page, with the signed-in browser's cookies. */
    static HttpResponse<String> post(WebDriver browser, String url, String form, String origin) throws Exception {
        String cookies = browser.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookies)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPersonApprovesInTheBrowserAndOnlyTheirCallRunsOnce() throws Exception {
        JsonObject asked = result(engage("text-stats", null));
        String url = pageUrl(asked);
        assertTrue(url.startsWith(base() + "/approvals/"), url);
        WebDriver browser = browser("de");
        try {
            open(browser, url, "carol");
            assertEquals("Einen Tool-Aufruf freigeben", browser.findElement(By.tagName("h1")).getText());
            String intro = browser.findElement(By.id("intro")).getText();
            assertTrue(intro.contains("kill-switch-engage") && intro.contains("mcp-inspector"), intro);
            assertTrue(browser.findElement(By.id("arguments")).getText().contains("text-stats"));
            assertFalse(browser.getPageSource().contains("<script"), "the page runs no script");

            HttpResponse<String> noToken = post(browser, url, "decision=approve", null);
            assertEquals(403, noToken.statusCode(), "a form without the page's token was taken: " + noToken.body());
            HttpResponse<String> otherSite = post(browser, url, "decision=approve&csrf=x", "https://evil.example");
            assertEquals(403, otherSite.statusCode(), "a form from another origin was taken: " + otherSite.body());
            HttpResponse<String> noDecision = post(browser, url, "", null);
            assertEquals(403, noDecision.statusCode(), "a form without a decision: " + noDecision.body());
            HttpResponse<String> refused = post(browser, url, "decision=neither", null);
            assertTrue(refused.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"),
                    refused.headers().map().toString());

            Response early = engage("text-stats", asked.getString("requestState"));
            JsonObject pending = result(early);
            assertEquals(url, pageUrl(pending), "before the decision the call is asked again, same page");

            browser.findElement(By.id("approve")).click();
            assertTrue(outcome(browser).startsWith("Freigegeben"));

            Response otherArguments = engage("whoami", pending.getString("requestState"));
            assertEquals(400, otherArguments.statusCode(), "an approval for text-stats ran for whoami");
            JsonObject done = result(engage("text-stats", pending.getString("requestState")));
            assertEquals("complete", done.getString("resultType"), done.encode());
            assertFalse(done.getBoolean("isError", false), done.encode());
            assertEquals(400, engage("text-stats", pending.getString("requestState")).statusCode(), "replayed");
            assertTrue(disabledTools().contains("text-stats"), "the approved call did not run");

            browser.get(url + "?redirect_uri=https://evil.example/&next=https://evil.example/");
            assertTrue(browser.getCurrentUrl().startsWith(base() + "/approvals/"), browser.getCurrentUrl());
        } finally {
            browser.quit();
        }
    }

    @Test
    void anotherUserCannotApproveAndADeniedCallNeverRuns() throws Exception {
        JsonObject asked = result(engage("sort-lines", null));
        String url = pageUrl(asked);
        WebDriver bob = browser("en");
        try {
            open(bob, url, "bob");
            assertTrue(bob.findElement(By.id("outcome")).getText().contains("another user"));
            assertTrue(bob.findElements(By.id("approve")).isEmpty(), "another user was offered the decision");
        } finally {
            bob.quit();
        }
        WebDriver carol = browser("en");
        try {
            open(carol, url, "carol");
            assertEquals("Approve a tool call", carol.findElement(By.tagName("h1")).getText());
            carol.findElement(By.id("deny")).click();
            assertTrue(outcome(carol).startsWith("Denied"));
        } finally {
            carol.quit();
        }
        JsonObject denied = result(engage("sort-lines", asked.getString("requestState")));
        assertTrue(denied.getBoolean("isError", false), denied.encode());
        assertFalse(disabledTools().contains("sort-lines"), "a denied call ran");
    }
}
