package org.acme.mcp.guard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Azure AI Content Safety Prompt Shields ({@code POST {endpoint}/contentsafety/text:shieldPrompt}), off by default.
 * <p>
 * Tool arguments are written by the model, so they are sent as {@code documents} (the shield for instructions hidden
 * in third-party content) with an empty {@code userPrompt}: each text argument is one document, texts longer than a
 * document are cut into overlapping pieces, and documents are packed into requests of at most 5 documents and 10 000
 * characters (the service's input limits); requests go one after the other until one reports an attack. Any
 * {@code attackDetected: true} is a detection ({@code prompt-shields:user-prompt} / {@code prompt-shields:document}).
 * A non-2xx answer, a timeout, a refused connection or an answer that is not the documented JSON is
 * {@link GuardVerdict.Status#UNAVAILABLE}, and so is a call with more than {@code max-chars} of text.
 * <p>
 * Start-up fails when the guard is enabled without an endpoint or key, or with an endpoint that is not https outside
 * dev and test. The key is sent only in {@code Ocp-Apim-Subscription-Key} and never logged.
 */
@Startup
@Singleton
public class PromptShieldsGuard implements InputGuard {

    static final int MAX_DOCUMENTS = 5;
    static final int MAX_REQUEST_CHARS = 10_000;
    /** Repeated at the start of the next piece, so a phrase cut at a piece boundary is still seen whole once. */
    static final int OVERLAP = 200;

    private static final Logger LOG = Logger.getLogger(PromptShieldsGuard.class);

    /** What the adapter needs; validated on construction. */
    public record Settings(boolean enabled, String endpoint, String key, String apiVersion, Duration timeout,
            int maxChars, boolean allowPlainHttp) {
    }

    private final boolean enabled;
    private final URI uri;
    private final String key;
    private final Duration timeout;
    private final int maxChars;
    private final HttpClient http;

    @Inject
    PromptShieldsGuard(GuardConfig config) {
        this(new Settings(config.promptShields().enabled(), config.promptShields().endpoint().orElse(null),
                config.promptShields().key().orElse(null), config.promptShields().apiVersion(),
                config.promptShields().timeout(), config.promptShields().maxChars(),
                LaunchMode.current() != LaunchMode.NORMAL));
    }

    public PromptShieldsGuard(Settings settings) {
        this.enabled = settings.enabled();
        this.timeout = settings.timeout();
        this.maxChars = settings.maxChars();
        this.key = settings.key();
        if (!enabled) {
            this.uri = null;
            this.http = null;
            return;
        }
        this.uri = validate(settings);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        LOG.infof("Prompt Shields input guard enabled: %s", uri.getHost());
    }

    private static URI validate(Settings s) {
        String prefix = "mcp.guard.prompt-shields is enabled but ";
        if (s.endpoint() == null || s.endpoint().isBlank()) {
            throw new IllegalStateException(prefix + "has no endpoint (mcp.guard.prompt-shields.endpoint,"
                    + " env MCP_GUARD_PROMPT_SHIELDS_ENDPOINT)");
        }
        if (s.key() == null || s.key().isBlank()) {
            throw new IllegalStateException(prefix + "has no key (mcp.guard.prompt-shields.key,"
                    + " env MCP_GUARD_PROMPT_SHIELDS_KEY)");
        }
        URI endpoint;
        try {
            endpoint = URI.create(s.endpoint().strip().replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(prefix + "its endpoint is not a URI");
        }
        boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
        boolean http = "http".equalsIgnoreCase(endpoint.getScheme());
        if (endpoint.getHost() == null || endpoint.getQuery() != null || !(https || (http && s.allowPlainHttp()))) {
            throw new IllegalStateException(prefix + "its endpoint must be an https URL without a query"
                    + (s.allowPlainHttp() ? " (or http in dev/test)" : ""));
        }
        if (s.timeout().isNegative() || s.timeout().isZero() || s.maxChars() <= 0) {
            throw new IllegalStateException(prefix + "its timeout and max-chars must be positive");
        }
        return URI.create(endpoint + "/contentsafety/text:shieldPrompt?api-version=" + s.apiVersion());
    }

    @Override
    public String name() {
        return "prompt-shields";
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public GuardVerdict inspect(ToolArguments arguments) {
        if (arguments.totalChars() > maxChars) {
            return GuardVerdict.unavailable("prompt-shields: input above max-chars");
        }
        for (List<String> documents : requests(arguments)) {
            GuardVerdict verdict = shield(documents);
            if (verdict.status() != GuardVerdict.Status.CLEAN) {
                return verdict;
            }
        }
        return GuardVerdict.CLEAN;
    }

    /** The documents of each request, in order. */
    static List<List<String>> requests(ToolArguments arguments) {
        List<String> pieces = new ArrayList<>();
        for (ToolArguments.Text text : arguments.texts()) {
            String value = text.value();
            if (value.isBlank()) {
                continue;
            }
            for (int start = 0; start < value.length(); start += MAX_REQUEST_CHARS - OVERLAP) {
                pieces.add(value.substring(start, Math.min(value.length(), start + MAX_REQUEST_CHARS)));
                if (start + MAX_REQUEST_CHARS >= value.length()) {
                    break;
                }
            }
        }
        List<List<String>> requests = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int chars = 0;
        for (String piece : pieces) {
            if (!current.isEmpty() && (current.size() == MAX_DOCUMENTS || chars + piece.length() > MAX_REQUEST_CHARS)) {
                requests.add(current);
                current = new ArrayList<>();
                chars = 0;
            }
            current.add(piece);
            chars += piece.length();
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }

    private GuardVerdict shield(List<String> documents) {
        String body = new JsonObject().put("userPrompt", "").put("documents", new JsonArray(documents)).encode();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Ocp-Apim-Subscription-Key", key)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return unavailable("timeout");
        } catch (IOException e) {
            return unavailable("connection failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            return unavailable("HTTP " + response.statusCode());
        }
        return parse(response.body(), documents.size());
    }

    /** The documented answer, or unavailable: a shape we do not know is no verdict. */
    static GuardVerdict parse(String body, int documents) {
        try {
            JsonObject json = new JsonObject(body);
            JsonObject prompt = json.getJsonObject("userPromptAnalysis");
            JsonArray docs = json.getJsonArray("documentsAnalysis");
            if (prompt == null || !(prompt.getValue("attackDetected") instanceof Boolean promptAttack) || docs == null
                    || docs.size() != documents) {
                return unavailable("malformed answer");
            }
            List<String> reasons = new ArrayList<>();
            if (promptAttack) {
                reasons.add("prompt-shields:user-prompt");
            }
            for (int i = 0; i < docs.size(); i++) {
                Object entry = docs.getValue(i);
                if (!(entry instanceof JsonObject doc) || !(doc.getValue("attackDetected") instanceof Boolean attack)) {
                    return unavailable("malformed answer");
                }
                if (attack && !reasons.contains("prompt-shields:document")) {
                    reasons.add("prompt-shields:document");
                }
            }
            return reasons.isEmpty() ? GuardVerdict.CLEAN : GuardVerdict.detected(reasons);
        } catch (DecodeException | ClassCastException e) {
            return unavailable("malformed answer");
        }
    }

    private static GuardVerdict unavailable(String cause) {
        LOG.debugf("Prompt Shields unavailable: %s", cause); // never the key, never the arguments
        return GuardVerdict.unavailable("prompt-shields: " + cause);
    }
}
