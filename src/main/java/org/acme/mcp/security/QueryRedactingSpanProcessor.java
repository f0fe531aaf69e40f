package org.acme.mcp.security;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Removes query parameter values from HTTP spans before they are exported.
 * <p>
 * The server span of a request is started before {@code TransportGuard} refuses {@code ?access_token=...} (RFC 6750
 * §2.3), and its {@code url.query} attribute holds the raw query: without this a caller's token would be exported to
 * the tracing backend. No endpoint of this server takes query parameters, so every value is dropped; short names stay,
 * for investigations. Quarkus adds every {@link SpanProcessor} bean to the tracer provider.
 */
@ApplicationScoped
public class QueryRedactingSpanProcessor implements SpanProcessor {

    static final String REDACTED = "REDACTED";

    /** A parameter name kept as is; anything longer or odder (a bare token: {@code ?eyJ...}) is redacted too. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,40}");

    private static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
    /** Attributes that may carry a whole URL, in current and older HTTP semantic conventions. */
    private static final List<AttributeKey<String>> URLS = List.of(AttributeKey.stringKey("url.full"),
            AttributeKey.stringKey("http.target"), AttributeKey.stringKey("http.url"));

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        String query = span.getAttribute(QUERY);
        if (query != null) {
            span.setAttribute(QUERY, redactQuery(query));
        }
        for (AttributeKey<String> key : URLS) {
            String url = span.getAttribute(key);
            int mark = url == null ? -1 : url.indexOf('?');
            if (mark >= 0) {
                span.setAttribute(key, url.substring(0, mark + 1) + redactQuery(url.substring(mark + 1)));
            }
        }
    }

    /** {@code a=1&b&c=2} becomes {@code a=REDACTED&b&c=REDACTED}; a fragment is dropped. */
    static String redactQuery(String query) {
        int fragment = query.indexOf('#');
        String plain = fragment >= 0 ? query.substring(0, fragment) : query;
        StringBuilder redacted = new StringBuilder(plain.length());
        for (String parameter : plain.split("&", -1)) {
            if (!redacted.isEmpty()) {
                redacted.append('&');
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            redacted.append(NAME.matcher(name).matches() ? name : REDACTED);
            if (equals >= 0) {
                redacted.append('=').append(REDACTED);
            }
        }
        return redacted.toString();
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
