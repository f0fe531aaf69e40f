package org.acme.mcp.stateless;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Values of the 2026-07-28 standard headers ({@code Mcp-Method}, {@code Mcp-Name}) as the body must match them:
 * visible ASCII, space and tab only (RFC 9110 field values), and for {@code Mcp-Name} the sentinel
 * {@code =?base64?...?=}, decoded (standard alphabet, padded, UTF-8) before comparing. A value that breaks these
 * rules is a header mismatch, never a guess.
 */
final class HeaderValue {

    private static final String PREFIX = "=?base64?";
    private static final String SUFFIX = "?=";

    private HeaderValue() {
    }

    /** The value as sent, surrounding whitespace dropped, or {@code null} if it holds a character a header may not. */
    static String plain(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c == '\t' || (c >= 0x20 && c <= 0x7e))) {
                return null;
            }
        }
        return value.strip();
    }

    /** {@link #plain} with the base64 sentinel decoded; {@code null} for invalid characters or invalid base64. */
    static String decoded(String value) {
        String plain = plain(value);
        if (plain == null || !(plain.startsWith(PREFIX) && plain.endsWith(SUFFIX)
                && plain.length() >= PREFIX.length() + SUFFIX.length())) {
            return plain; // without both ends it is a literal value
        }
        String encoded = plain.substring(PREFIX.length(), plain.length() - SUFFIX.length());
        if (encoded.length() % 4 != 0) {
            return null; // the standard alphabet is padded
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(encoded);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }
}
