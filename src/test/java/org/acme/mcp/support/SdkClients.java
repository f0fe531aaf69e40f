package org.acme.mcp.support;

import java.net.http.HttpRequest;
import java.time.Duration;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;

/** The official MCP Java SDK as a real client of the server under test. */
public final class SdkClients {

    private SdkClients() {
    }

    /** The HTTP status the SDK's transport reported for a refused request, found in the exception chain. */
    public static int httpStatusOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof McpHttpClientTransportAuthorizationException auth) {
                return auth.getResponseInfo().statusCode();
            }
        }
        throw new AssertionError("no HTTP authorization error in the chain", t);
    }

    /** A Streamable HTTP client that sends {@code token} (if any) as a bearer token on every request. */
    public static McpSyncClient connect(String baseUrl, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        var transport = HttpClientStreamableHttpTransport.builder(baseUrl)
                .endpoint("/mcp")
                .requestBuilder(request)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("sdk-test-client", "1.0"))
                .requestTimeout(Duration.ofSeconds(20))
                .initializationTimeout(Duration.ofSeconds(20))
                .build();
    }
}
