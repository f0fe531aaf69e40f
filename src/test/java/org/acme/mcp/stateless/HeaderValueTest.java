package org.acme.mcp.stateless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class HeaderValueTest {

    @Test
    void plainValuesAreVisibleAsciiWithSurroundingSpaceDropped() {
        assertEquals("tools/call", HeaderValue.plain("tools/call"));
        assertEquals("my tool", HeaderValue.plain("  my tool\t"));
        assertNull(HeaderValue.plain("caf\u00e9"), "non-ASCII must travel as base64");
        assertNull(HeaderValue.plain("a\u0000b"), "control character");
        assertNull(HeaderValue.plain("a\nb"), "line break");
    }

    @Test
    void theBase64SentinelIsDecoded() {
        assertEquals("whoami", HeaderValue.decoded("=?base64?d2hvYW1p?="));
        assertEquals("café", HeaderValue.decoded("=?base64?Y2Fmw6k=?="));
        // a literal value that looks like the sentinel is itself encoded by the client
        assertEquals("=?base64?literal?=", HeaderValue.decoded("=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?="));
    }

    @Test
    void aBrokenSentinelIsNoValueAtAll() {
        assertNull(HeaderValue.decoded("=?base64?SGVsbG8?="), "missing padding");
        assertNull(HeaderValue.decoded("=?base64?SGVs!!!bG8=?="), "not base64");
        assertNull(HeaderValue.decoded("=?base64?/w==?="), "not UTF-8");
    }

    @Test
    void withoutBothEndsItIsALiteral() {
        assertEquals("=?base64?SGVsbG8=", HeaderValue.decoded("=?base64?SGVsbG8="));
        assertEquals("SGVsbG8=?=", HeaderValue.decoded("SGVsbG8=?="));
    }
}
