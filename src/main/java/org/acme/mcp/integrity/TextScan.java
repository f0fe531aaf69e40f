package org.acme.mcp.integrity;

/**
 * Characters a reader cannot see but a model reads: format characters (zero-width, bidi controls, Unicode tags),
 * control characters other than tab and line breaks, variation selectors, invisible fillers and private-use code
 * points. They hide instructions in text that looks harmless on review.
 */
public final class TextScan {

    private TextScan() {
    }

    public static boolean isInvisible(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.CONTROL || type == Character.PRIVATE_USE
                || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) // variation selectors
                || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0; // Hangul fillers
    }

    /** The first invisible code point, or -1. */
    public static int firstInvisible(String text) {
        return text.codePoints().filter(TextScan::isInvisible).findFirst().orElse(-1);
    }

    /** The text with each invisible character replaced by a visible {@code <U+XXXX>}. */
    public static String escapeInvisible(String text) {
        if (firstInvisible(text) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (isInvisible(cp)) {
                out.append(String.format("<U+%04X>", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
