package org.acme.mcp.audit;

/**
 * Writes JSON strings the way Jackson (and so Vert.x's {@code JsonObject.encode()}) does: quotes, backslashes and
 * control characters escaped, everything else as is. The trail's records are flat, so the writer builds their text
 * directly instead of through a JSON tree and a generator for every record.
 */
final class JsonText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    /** Appends {@code value} as a JSON string literal. */
    static StringBuilder quote(StringBuilder out, String value) {
        int first = 0;
        int n = value.length();
        while (first < n && !escaped(value.charAt(first))) {
            first++;
        }
        if (first == n) {
            return out.append('"').append(value).append('"'); // the usual case: copied whole
        }
        out.append('"');
        int start = 0;
        for (int i = first; i < n; i++) {
            char c = value.charAt(i);
            if (!escaped(c)) {
                continue;
            }
            out.append(value, start, i);
            start = i + 1;
            out.append('\\');
            switch (c) {
                case '"', '\\' -> out.append(c);
                case '\b' -> out.append('b');
                case '\t' -> out.append('t');
                case '\n' -> out.append('n');
                case '\f' -> out.append('f');
                case '\r' -> out.append('r');
                default -> out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        return out.append(value, start, n).append('"');
    }

    private static boolean escaped(char c) {
        return c < 0x20 || c == '"' || c == '\\';
    }
}
