package org.acme.mcp.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Obtains access tokens from the test Keycloak ({@link KeycloakServer}) for the integration tests.
 *
 * <p>
 * {@code realmUrl} is the issuer, e.g. {@link KeycloakServer#realmUrl()}. A {@code null} or blank
 * {@code scope} sends no scope parameter (the client's default scopes apply; Keycloak rejects an empty
 * {@code scope=}). Failures throw {@link IllegalStateException} with the HTTP status and Keycloak's error
 * body; tokens are never put into exception messages.
 *
 * <p>
 * Note: Keycloak sets {@code auth_time} only for interactive (browser) logins. Tokens from
 * {@link #password} carry no {@code auth_time}; use {@link #authorizationCode} when a test needs it.
 */
public final class KeycloakTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static final Pattern LOGIN_FORM = Pattern.compile("<form\\b[^>]*\\bid=\"kc-form-login\"[^>]*>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("\\baction=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private KeycloakTokens() {
    }

    /** Resource owner password grant (client {@code mcp-test-cli}); {@code secret} null for a public client. */
    public static String password(String realmUrl, String clientId, String secret, String user, String password,
            String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("username", user);
        form.put("password", password);
        putScope(form, scope);
        return requestToken(realmUrl, clientId, secret, form, "password grant for user '" + user + "'");
    }

    /** Client credentials grant (clients {@code mcp-service}, {@code no-audience-client}). */
    public static String clientCredentials(String realmUrl, String clientId, String secret, String scope) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        putScope(form, scope);
        return requestToken(realmUrl, clientId, secret, form, "client credentials grant");
    }

    /**
     * Authorization code grant with PKCE (S256), the flow an MCP client such as {@code mcp-inspector} uses:
     * submits Keycloak's login form like a browser would and exchanges the code (the redirect is not
     * followed, nothing has to listen on {@code redirectUri}). Unlike the password grant, the token carries
     * {@code auth_time}.
     */
    public static String authorizationCode(String realmUrl, String clientId, String redirectUri, String user,
            String password, String scope) {
        String what = "authorization code grant for user '" + user + "'";
        String verifier = randomUrlSafe(48);
        String state = randomUrlSafe(16);
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", clientId);
        query.put("response_type", "code");
        query.put("redirect_uri", redirectUri);
        query.put("state", state);
        query.put("code_challenge", s256(verifier));
        query.put("code_challenge_method", "S256");
        putScope(query, scope);
        URI authorize = URI.create(realmUrl + "/protocol/openid-connect/auth?" + formEncode(query));
        HttpResponse<String> page = send(HTTP, HttpRequest.newBuilder(authorize).GET(), what);
        if (page.statusCode() != 200) {
            throw failure(what, "GET " + authorize, page);
        }
        Matcher form = LOGIN_FORM.matcher(page.body());
        Matcher action = form.find() ? ACTION.matcher(form.group()) : null;
        if (action == null || !action.find()) {
            throw new IllegalStateException(what + ": no login form in the page of " + authorize);
        }
        URI loginAction = URI.create(action.group(1).replace("&amp;", "&"));

        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("username", user);
        credentials.put("password", password);
        credentials.put("credentialId", "");
        // Keycloak marks its session cookies Secure (even on http://127.0.0.1), which java.net.CookieManager
        // would never send back over http: carry them over by hand, like a browser does for loopback.
        String cookies = page.headers().allValues("Set-Cookie").stream()
                .map(c -> c.split(";", 2)[0].trim())
                .collect(Collectors.joining("; "));
        HttpResponse<String> login = send(HTTP, HttpRequest.newBuilder(loginAction)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", cookies)
                .POST(HttpRequest.BodyPublishers.ofString(formEncode(credentials))), what);
        String location = login.headers().firstValue("Location").orElse(null);
        if (login.statusCode() != 302 || location == null || !location.startsWith(redirectUri)) {
            throw new IllegalStateException(what + ": login did not redirect to " + redirectUri + " (HTTP "
                    + login.statusCode() + (location != null ? ", Location " + location : "")
                    + "); wrong password or a required action pending?");
        }
        Map<String, String> callback = parseQuery(URI.create(location).getRawQuery());
        if (callback.containsKey("error")) {
            throw new IllegalStateException(what + ": authorization error " + callback.get("error") + ": "
                    + callback.get("error_description"));
        }
        if (!state.equals(callback.get("state")) || callback.get("code") == null) {
            throw new IllegalStateException(what + ": callback without code or with wrong state");
        }

        Map<String, String> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", callback.get("code"));
        exchange.put("redirect_uri", redirectUri);
        exchange.put("code_verifier", verifier);
        return requestToken(realmUrl, clientId, null, exchange, what);
    }

    /**
     * Where Keycloak sends a browser that starts an authorization-code login with these PKCE parameters (none: plain
     * OAuth 2.0): the {@code Location} of its redirect, or {@code "HTTP <status>"} when it answers itself (the login
     * page is 200).
     */
    public static String authorizationStart(String realmUrl, String clientId, String redirectUri,
            Map<String, String> pkce) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", clientId);
        query.put("response_type", "code");
        query.put("redirect_uri", redirectUri);
        query.put("state", randomUrlSafe(16));
        query.putAll(pkce);
        URI authorize = URI.create(realmUrl + "/protocol/openid-connect/auth?" + formEncode(query));
        HttpResponse<String> answer = send(HTTP, HttpRequest.newBuilder(authorize).GET(), "authorization request");
        return answer.headers().firstValue("Location").orElse("HTTP " + answer.statusCode());
    }

    /** A PKCE S256 challenge of a fresh verifier. */
    public static String s256Challenge() {
        return s256(randomUrlSafe(48));
    }

    /** Decodes the (unverified) payload of a JWT, for assertions on claims. */
    public static JsonNode claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("Not a JWS compact serialization");
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new IllegalArgumentException("JWT payload is not JSON", e);
        }
    }

    // ------------------------------------------------------------------------------------------

    private static String requestToken(String realmUrl, String clientId, String secret, Map<String, String> form,
            String what) {
        URI tokenEndpoint = URI.create(realmUrl + "/protocol/openid-connect/token");
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        Map<String, String> body = new LinkedHashMap<>(form);
        if (secret != null) {
            // client_secret_basic (RFC 6749, 2.3.1: id and secret form-encoded before Base64)
            String basic = urlEncode(clientId) + ":" + urlEncode(secret);
            request.header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        } else {
            body.put("client_id", clientId);
        }
        request.POST(HttpRequest.BodyPublishers.ofString(formEncode(body)));
        String context = what + " (client '" + clientId + "')";
        HttpResponse<String> response = send(HTTP, request, context);
        if (response.statusCode() != 200) {
            throw failure(context, "POST " + tokenEndpoint, response);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(context + ": token response is not JSON (HTTP 200)");
        }
        JsonNode token = json.get("access_token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            throw new IllegalStateException(context + ": no access_token in the token response (fields: "
                    + iterableToString(json.fieldNames()) + ")");
        }
        return token.asText();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request, String what) {
        try {
            return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(what + ": request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    private static IllegalStateException failure(String what, String request, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        if (body.length() > 2000) {
            body = body.substring(0, 2000) + "...";
        }
        return new IllegalStateException(what + ": " + request + " answered HTTP " + response.statusCode() + ": "
                + body);
    }

    private static void putScope(Map<String, String> params, String scope) {
        if (scope != null && !scope.isBlank()) {
            params.put("scope", scope.trim());
        }
    }

    private static String formEncode(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> urlEncode(e.getKey()) + "=" + urlEncode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> result = new LinkedHashMap<>();
        if (rawQuery == null) {
            return result;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            result.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return result;
    }

    private static String urlEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String iterableToString(Iterator<String> names) {
        StringBuilder sb = new StringBuilder();
        names.forEachRemaining(n -> sb.append(sb.length() == 0 ? "" : ", ").append(n));
        return sb.toString();
    }
}
