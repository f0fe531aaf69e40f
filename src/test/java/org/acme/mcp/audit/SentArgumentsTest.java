package org.acme.mcp.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;

import io.vertx.core.json.JsonObject;

/**
 * The slice of a body that the audit digests must be the {@code params.arguments} the parsed message holds: the same
 * member when names repeat, byte offsets (not character offsets), nothing cut at a brace inside a string.
 */
class SentArgumentsTest {

    static final JsonFactory PARSERS = new JsonFactory();

    static String slice(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SentArguments found = SentArguments.find(PARSERS, bytes);
        return found == null ? null : new String(bytes, found.offset(), found.length(), StandardCharsets.UTF_8);
    }

    @Test
    void theArgumentsAsSpeltInTheBody() {
        String args = "{ \"zone\" :\t\"Europe/Paris\" , \"n\": [1, {\"x\": \"}]\\\"{\"}] }";
        String body = "{\"jsonrpc\":\"2.0\",\"id\":\"é€😀\",\"method\":\"tools/call\",\"params\": {\"name\":\"t\","
                + "\"arguments\":" + args + ",\"_meta\":{\"arguments\":{}}}}";
        assertEquals(args, slice(body));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SentArguments found = SentArguments.find(PARSERS, bytes);
        assertEquals(Redaction.sha256(args), found.sha256(), "the digest of exactly those bytes");
        assertEquals(new JsonObject(args), new JsonObject(body).getJsonObject("params").getJsonObject("arguments"));
    }

    @Test
    void repeatedMembersResolveLikeTheParsedMessage() {
        String body = "{\"params\":{\"arguments\":{\"a\":1},\"arguments\":{\"b\":2}},\"id\":1}";
        assertEquals("{\"b\":2}", slice(body));
        assertEquals(new JsonObject("{\"b\":2}"),
                new JsonObject(body).getJsonObject("params").getJsonObject("arguments"));
        // the last params wins, even when it has no arguments
        assertNull(slice("{\"params\":{\"arguments\":{\"a\":1}},\"params\":{\"name\":\"t\"}}"));
        assertEquals("{\"c\":3}", slice("{\"params\":{\"name\":\"t\"},\"params\":{\"arguments\":{\"c\":3}}}"));
        // arguments given again as a non-object: there is no object to digest
        assertNull(slice("{\"params\":{\"arguments\":{\"a\":1},\"arguments\":\"x\"}}"));
    }

    @Test
    void noArgumentsNoSlice() {
        assertNull(slice("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"t\"}}"));
        assertNull(slice("{\"arguments\":{\"a\":1},\"params\":[{\"arguments\":{}}]}"));
        assertNull(slice("[{\"params\":{\"arguments\":{}}}]"));
        assertNull(slice("{\"params\":{\"arguments\":{\"a\":"));
    }
}
