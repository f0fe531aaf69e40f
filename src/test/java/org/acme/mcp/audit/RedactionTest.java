package org.acme.mcp.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What an audit record keeps of tool arguments: a digest of all of them, and a preview without secrets. */
class RedactionTest {

    final Redaction redaction = new Redaction(Set.of("ssn"));

    @Test
    void plainArgumentsArePreviewedAsSentAndDigestedWhole() {
        JsonObject args = new JsonObject().put("zone", "Europe/Paris").put("n", 3);
        Redaction.Summary summary = redaction.summarize(args, null);
        assertEquals("{\"zone\":\"Europe/Paris\",\"n\":3}", summary.preview());
        assertEquals(Redaction.sha256(args.encode()), summary.sha256());
    }

    @Test
    void secretsAreRedactedInThePreviewButCountInTheDigest() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
        JsonObject args = new JsonObject().put("Password", "hunter2").put("SSN", "123-45-6789")
                .put("nested", new JsonObject().put("api_key", "k").put("note", "bearer " + jwt))
                .put("list", new JsonArray().add(new JsonObject().put("token", "t")).add("x".repeat(100)));
        Redaction.Summary summary = redaction.summarize(args, null);
        assertFalse(summary.preview().contains("hunter2") || summary.preview().contains("123-45")
                || summary.preview().contains("\"k\"") || summary.preview().contains(jwt)
                || summary.preview().contains("\"t\""), summary.preview());
        assertTrue(summary.preview().contains("\"Password\":\"[redacted]\"")
                && summary.preview().contains("bearer [redacted-jwt]")
                && summary.preview().contains("x".repeat(64) + "…\""), summary.preview());
        assertEquals(Redaction.sha256(args.encode()), summary.sha256(), "the digest is of what was sent");
        assertEquals("hunter2", args.getString("Password"), "the arguments themselves are untouched");
    }

    @Test
    void theBytesSentAreDigestedWhenKnown() {
        String sent = "{ \"zone\" : \"Europe/Paris\" }";
        byte[] body = ("{\"params\":{\"arguments\":" + sent + "}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Redaction.Summary summary = redaction.summarize(new JsonObject(sent),
                new SentArguments(body, "{\"params\":{\"arguments\":".length(), sent.length()));
        assertEquals(Redaction.sha256(sent), summary.sha256());
        assertEquals("{\"zone\":\"Europe/Paris\"}", summary.preview());
    }

    @Test
    void aLongPreviewIsCutAndMissingArgumentsAreEmpty() {
        JsonObject args = new JsonObject();
        for (int i = 0; i < 40; i++) {
            args.put("field" + i, "value" + i);
        }
        assertEquals(Redaction.MAX_PREVIEW + 1, redaction.summarize(args, null).preview().length());
        assertEquals(new Redaction.Summary(Redaction.sha256("{}"), "{}"), redaction.summarize(null, null));
    }

    @Test
    void resourceUrisKeepTheirShapeButNotTheirSecrets() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
        assertEquals("file:///notes/7", redaction.uri("file:///notes/7"));
        assertEquals("db://x/t?Token=[redacted]&page=2&ssn=[redacted]&flag",
                redaction.uri("db://x/t?Token=abc&page=2&ssn=1-2-3&flag"));
        assertEquals("s3://b/[redacted-jwt]", redaction.uri("s3://b/" + jwt));
        assertEquals(Redaction.MAX_URI + 1, redaction.uri("x".repeat(1000)).length());
        assertEquals("", redaction.uri(null));
    }
}
