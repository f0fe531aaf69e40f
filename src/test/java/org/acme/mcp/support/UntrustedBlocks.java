package org.acme.mcp.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads untrusted tool output the way a client should: only the block whose end tag carries the same boundary. */
public final class UntrustedBlocks {

    public static final Pattern ENVELOPE = Pattern.compile(
            "<untrusted-content boundary=\"([0-9a-f]{32})\"(?: datamark=\"\u02C6\")?>\n(.*)</untrusted-content boundary=\"\\1\">",
            Pattern.DOTALL);

    private UntrustedBlocks() {
    }

    /** The body of the block (still data-marked and escaped); fails when the text is not exactly one block. */
    public static String body(String wrapped) {
        Matcher m = ENVELOPE.matcher(wrapped);
        assertTrue(m.matches(), wrapped);
        return m.group(2);
    }

    /** The body with the datamarking undone (markers back to spaces). */
    public static String text(String wrapped) {
        return body(wrapped).replace('\u02C6', ' ');
    }
}
