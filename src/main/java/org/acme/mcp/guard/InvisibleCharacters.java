package org.acme.mcp.guard;

import java.util.EnumSet;
import java.util.Set;

/**
 * Characters that change what a model reads without changing what a person sees: zero-width and other format
 * characters and the other default-ignorable code points, private use characters, bidi controls, Unicode tag
 * characters (which spell hidden ASCII), control characters and runs of variation selectors. One rule set for both
 * directions: the detector reports them in arguments, {@link Spotlighting} escapes them in untrusted results.
 * <p>
 * Legitimate uses are kept: a zero-width joiner between two emoji (family and profession sequences) or between two
 * letters of a non-Latin script, a zero-width non-joiner between two such letters (Persian, Indic scripts), and the tag
 * sequence of a subdivision flag (U+1F3F4, 1–7 tag letters or digits, U+E007F). The same characters elsewhere, e.g.
 * a joiner inside a Latin word, count.
 */
public final class InvisibleCharacters {

    /** What was found; the name is the detector's reason. */
    public enum Kind {
        INVISIBLE("invisible-characters"),
        BIDI("bidi-controls"),
        TAGS("unicode-tags"),
        CONTROL("control-characters");

        public final String reason;

        Kind(String reason) {
            this.reason = reason;
        }
    }

    /** The kinds found and the ASCII spelt by tag characters (checked for hidden instructions). */
    public record Scan(Set<Kind> kinds, String tagText) {
    }

    private static final int ZWNJ = 0x200C;
    private static final int ZWJ = 0x200D;
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int CANCEL_TAG = 0xE007F;

    private InvisibleCharacters() {
    }

    public static Scan scan(String s) {
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        StringBuilder tags = null;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (cp >= 0x20 && cp < 0x7F) { // fast path: printable ASCII
                i = next;
                continue;
            }
            int flagEnd = flagTagsEnd(s, i);
            if (flagEnd > 0) {
                i = flagEnd;
                continue;
            }
            Kind kind = kindAt(s, i, cp);
            if (kind != null) {
                kinds.add(kind);
                if (kind == Kind.TAGS && cp >= 0xE0020 && cp <= 0xE007E) {
                    tags = tags == null ? new StringBuilder() : tags;
                    tags.append((char) (cp - 0xE0000));
                }
            }
            i = next;
        }
        return new Scan(kinds, tags == null ? "" : tags.toString());
    }

    /**
     * The text with every character {@link #scan} would report replaced by a visible escape: {@code \u202E} in the BMP,
     * {@code \U000E0041} beyond it.
     */
    public static String neutralise(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            int flagEnd = cp == BLACK_FLAG ? flagTagsEnd(s, i) : -1;
            if (flagEnd > 0) {
                if (out != null) {
                    out.append(s, i, flagEnd);
                }
                i = flagEnd;
                continue;
            }
            boolean escape = !(cp >= 0x20 && cp < 0x7F) && kindAt(s, i, cp) != null;
            if (escape && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (escape) {
                out.append(escape(cp));
            } else if (out != null) {
                out.appendCodePoint(cp);
            }
            i = next;
        }
        return out == null ? s : out.toString();
    }

    static String escape(int cp) {
        return cp <= 0xFFFF ? String.format("\\u%04X", cp) : String.format("\\U%08X", cp);
    }

    /** The kind of the character at {@code i}, or null when it is harmless there. */
    private static Kind kindAt(String s, int i, int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return null;
        }
        if (cp >= 0xE0000 && cp <= 0xE007F) {
            return Kind.TAGS;
        }
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            return Kind.BIDI;
        }
        if (cp == ZWJ || cp == ZWNJ) {
            return joinerAllowed(s, i, cp) ? null : Kind.INVISIBLE;
        }
        if (isVariationSelector(cp)) {
            // one selects an emoji or glyph variant; a run of them is a known way to hide bytes
            int before = i > 0 ? s.codePointBefore(i) : -1;
            return isVariationSelector(before) ? Kind.INVISIBLE : null;
        }
        if (Character.getType(cp) == Character.CONTROL || cp == 0x2028 || cp == 0x2029) {
            return Kind.CONTROL;
        }
        return isHidden(cp) ? Kind.INVISIBLE : null;
    }

    /**
     * Whether a character is one a reader does not see, wherever it stands: Unicode's default-ignorable code points
     * (format characters, joiners, fillers, variation selectors, tags, the combining grapheme joiner, ...) and private
     * use characters (no agreed glyph; a known carrier of hidden bytes). {@link InjectionPatterns} drops them before
     * matching phrases; {@link #scan} reports them, except where {@link #kindAt} knows a legitimate use.
     */
    public static boolean isHidden(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.PRIVATE_USE || isVariationSelector(cp)
                || cp == 0x00AD || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0x3164 || cp == 0xFFA0
                || (cp >= 0xFFF0 && cp <= 0xFFF8) || (cp >= 0x1D173 && cp <= 0x1D17A) || (cp >= 0xE0000 && cp <= 0xE0FFF);
    }

    private static boolean joinerAllowed(String s, int i, int cp) {
        if (i == 0 || i + 1 >= s.length()) {
            return false;
        }
        int before = s.codePointBefore(i);
        if (isVariationSelector(before) && i - Character.charCount(before) > 0) {
            before = s.codePointBefore(i - Character.charCount(before)); // ❤️‍🔥: the joiner follows a selector
        }
        int after = s.codePointAt(i + 1);
        if (cp == ZWJ && isEmoji(before) && isEmoji(after)) {
            return true;
        }
        return isNonLatinLetter(before) && isNonLatinLetter(after);
    }

    /** Index after a subdivision flag's tag sequence starting at {@code i}, or -1. */
    private static int flagTagsEnd(String s, int i) {
        if (s.codePointAt(i) != BLACK_FLAG) {
            return -1;
        }
        int j = i + 2;
        int letters = 0;
        while (j < s.length()) {
            int cp = s.codePointAt(j);
            if (cp == CANCEL_TAG) {
                return letters >= 1 && letters <= 7 ? j + 2 : -1;
            }
            boolean tagAlnum = (cp >= 0xE0030 && cp <= 0xE0039) || (cp >= 0xE0061 && cp <= 0xE007A);
            if (!tagAlnum || ++letters > 7) {
                return -1;
            }
            j += 2;
        }
        return -1;
    }

    /** Standard and Mongolian free variation selectors: one picks a glyph variant. */
    private static boolean isVariationSelector(int cp) {
        return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) || (cp >= 0x180B && cp <= 0x180D)
                || cp == 0x180F;
    }

    /** Pictographic ranges (Java 17 has no Extended_Pictographic property) plus skin tones and regional indicators. */
    private static boolean isEmoji(int cp) {
        return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || (cp >= 0x2B00 && cp <= 0x2BFF)
                || (cp >= 0x2190 && cp <= 0x21FF) || cp == 0x2640 || cp == 0x2642 || cp == 0x2695 || cp == 0x2708
                || cp == 0x2764 || cp == 0x00A9 || cp == 0x00AE || cp == 0x203C || cp == 0x2049 || cp == 0x2122;
    }

    private static boolean isNonLatinLetter(int cp) {
        int type = Character.getType(cp);
        boolean letterOrMark = Character.isLetter(cp) || type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK;
        return letterOrMark && cp >= 0x0370 && Character.UnicodeScript.of(cp) != Character.UnicodeScript.LATIN;
    }
}
