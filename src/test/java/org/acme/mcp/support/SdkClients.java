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

    /**
     * The SDK's 2026-07-28 client ({@code io.modelcontextprotocol.modern}, stateless: no initialize, no session),
     * sending {@code token} as a bearer token on every request, with the Jackson 2 mapper.
     */
    public static io.modelcontextprotocol.modern.client.McpSyncClient stateless(String baseUrl, String token) {
        var json = new io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper(
                new com.fasterxml.jackson.databind.ObjectMapper());
        var transport = io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport
                .builder(baseUrl + "/mcp")
                .jsonMapper(json)
                .connectTimeout(Duration.ofSeconds(5))
                .requestCustomizer(io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer.fromSync(
                        (request, headers, context) -> {
                            if (token != null) {
                                headers.set("Authorization", "Bearer " + token);
                            }
                        }))
                .build();
        return io.modelcontextprotocol.modern.client.McpClient.sync(transport)
                .jsonMapper(json)
                .clientInfo(io.modelcontextprotocol.modern.McpSchema.Implementation.builder("sdk-test-client", "1.0")
                        .build())
                .roundTimeout(Duration.ofSeconds(20))
                .build();
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
