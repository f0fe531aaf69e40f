package org.acme.mcp.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * The trail writes its records' JSON by hand; the text must be what a JSON tree encoder writes, so that every reader
 * (and the chain's canonical form) sees the same record.
 */
class AuditRecordTextTest {

    @Test
    void everyCharacterIsWrittenAsJacksonWritesIt() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            String value = "a" + (char) c + "b";
            assertEquals(Json.encode(value), JsonText.quote(new StringBuilder(), value).toString(),
                    "U+" + Integer.toHexString(c));
        }
        String mixed = "tab\there \"quoted\" back\\slash\u0000\u001f\u007f é 🔑 \u2028 end";
        assertEquals(Json.encode(mixed), JsonText.quote(new StringBuilder(), mixed).toString());
    }

    @Test
    void aRecordBodyIsTheEncodingOfItsJsonTree() {
        Map<String, String> attrs = new HashMap<>();
        attrs.put("z.last", "line1\nline2");
        attrs.put("a.first", "{\"zone\":\"Europe/Paris\"}");
        attrs.put("m.unicode", "Grüße \u202e ✓");
        attrs.put("n.null", null);
        AuditEvent event = new AuditEvent(Instant.parse("2026-11-30T12:00:00.123456789Z"), "tool.call", "ok", attrs);
        String prev = "ab".repeat(32);

        JsonObject tree = new JsonObject().put("seq", 42L).put("time", event.time().toString())
                .put("type", event.type()).put("outcome", event.outcome());
        JsonObject treeAttrs = new JsonObject();
        event.attributes().forEach(treeAttrs::put);
        tree.put("attrs", treeAttrs).put("prev", prev);

        String body = AuditTrail.body(42, event, prev);
        assertEquals(tree.encode(), body);
        assertEquals(tree, new JsonObject(body));
    }
}
