package org.acme.mcp.audit;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;

/**
 * A {@code tools/call}'s (or {@code prompts/get}'s) {@code params.arguments} exactly as the client sent them: a slice
 * of the request body. The audit record's {@code arguments.sha256} is the digest of these bytes, so it proves what was
 * sent (re-encoding the parsed arguments would cost a pass over them per call and digest a spelling the client never
 * sent).
 * <p>
 * The body guard finds the slice and keeps it in the request's Vert.x context; the audit of the call takes it from
 * there. Where none was kept (another transport), the audit digests the re-encoded arguments instead.
 */
public record SentArguments(byte[] body, int offset, int length) {

    private static final String LOCAL = SentArguments.class.getName();

    /**
     * Finds the slice in a JSON body already accepted by the parser it was parsed with, and keeps it for this
     * request. Duplicate members resolve as in the parsed message: the last one counts.
     */
    public static void keep(JsonFactory parsers, byte[] body) {
        if (!VertxContext.isOnDuplicatedContext()) {
            return; // no per-request context to keep it in: the audit falls back to re-encoding
        }
        SentArguments found = find(parsers, body);
        if (found != null) {
            ContextLocals.put(LOCAL, found);
        }
    }

    /** The slice kept for the current request, if any. */
    static SentArguments ofCurrentRequest() {
        return VertxContext.isOnDuplicatedContext() ? ContextLocals.<SentArguments> get(LOCAL).orElse(null) : null;
    }

    /** Hex SHA-256 of the slice. */
    String sha256() {
        return Redaction.sha256(body, offset, length);
    }

    /** The slice of the last top-level {@code params}' last {@code arguments} object, or {@code null}. */
    static SentArguments find(JsonFactory parsers, byte[] body) {
        try (JsonParser parser = parsers.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            SentArguments found = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("params".equals(name)) {
                    found = value == JsonToken.START_OBJECT ? argumentsIn(parser, body) : null;
                } else {
                    parser.skipChildren();
                }
            }
            return found;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Within {@code params} (its start just read): the last {@code arguments} member, if it is an object. */
    private static SentArguments argumentsIn(JsonParser parser, byte[] body) throws IOException {
        SentArguments found = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("arguments".equals(name)) {
                found = value == JsonToken.START_OBJECT ? objectAt(parser, body) : null;
            } else {
                parser.skipChildren();
            }
        }
        return found;
    }

    /** The object whose start the parser just read, as a slice; the parser is left just past its end. */
    private static SentArguments objectAt(JsonParser parser, byte[] body) throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        long end = parser.currentLocation().getByteOffset(); // just past the closing brace
        return new SentArguments(body, (int) start, (int) (end - start));
    }
}
