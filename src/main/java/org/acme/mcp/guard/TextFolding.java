package org.acme.mcp.guard;

import java.text.Normalizer;

/**
 * Folds a text to the form the phrase rules read: the words a model would read, whatever they look like. Ordinary
 * ASCII prose takes two passes (lower case, then a look for what needs the slower steps); the steps:
 * <ul>
 * <li>NFKC (full-width and stylised letters become plain ones), invisible characters dropped, lower case;</li>
 * <li>diacritics removed ({@code é → e}, {@code ü → u}) and {@code ß æ œ ø ł} spelt out, so that accents, missing
 * accents and wrong accents read alike;</li>
 * <li>Cyrillic and Greek letters that look Latin replaced by the Latin letter ({@code іgnоrе} with Cyrillic
 * {@code і о е});</li>
 * <li>leetspeak inside words that have letters: {@code 0 1 3 4 5 7 $} read as {@code o i e a s t s}
 * ({@code 1gn0r3}); numbers on their own stay numbers;</li>
 * <li>three or more letters spaced out ({@code i g n o r e}, {@code i.g.n.o.r.e}) or fragments of up to four letters
 * joined by punctuation ({@code ig-no-re}) are joined into one word, which {@link PhraseLexicon#split} cuts back into
 * listed words.</li>
 * </ul>
 * Punctuation stays (the markup rules and "new instructions:" need it). Cyrillic or Greek prose becomes nonsense
 * after the look-alike step, which no rule matches: only the Latin-script languages have phrase rules.
 */
final class TextFolding {

    /**
     * Look-alikes of Latin letters, each with its Latin letter: Cyrillic and Greek capitals (replaced before lower
     * case, which would turn Greek capital Nu into a v-like nu), then small letters.
     */
    private static final String LOOK_ALIKES = "АaВbЕeКkМmНhОoРpСcТtУyХxІiЈjЅsҮyΑaΒbΕeΖzΗhΙiΚkΜmΝnΟoΡpΤtΥyΧx"
            + "аaвbеeёeкkмmоoрpсcуyхxіiїiјjѕsԁdһhӏlɡgαaβbεeιiκkνvοoρpτtυuχxℓl";
    private static final char[] LOOK_ALIKE_TO = new char[0x2200];

    static {
        for (int i = 0; i < LOOK_ALIKES.length(); i += 2) {
            LOOK_ALIKE_TO[LOOK_ALIKES.charAt(i)] = LOOK_ALIKES.charAt(i + 1);
        }
    }

    /** Separators inside an obfuscated word: {@code i.g.n.o.r.e}, {@code ig-no-re}, {@code i_g_n}. */
    private static final String JOINERS = ".-_*|/·+~";
    /** A run of at least this many single letters (or short fragments) is one spaced-out word. */
    private static final int MIN_RUN = 3;
    /** Fragments this short count in a run joined by {@link #JOINERS}. */
    private static final int MAX_FRAGMENT = 4;

    private TextFolding() {
    }

    static String fold(String text) {
        return foldText(text).string();
    }

    /**
     * A folded text as characters, with what the pattern rules look for ({@link #has}); its {@code String} is made
     * only when a pattern needs one.
     */
    static final class Folded {

        final char[] chars;
        private final int marks;
        private String string;

        private Folded(char[] chars, int marks) {
            this.chars = chars;
            this.marks = marks;
        }

        String string() {
            if (string == null) {
                string = new String(chars);
            }
            return string;
        }

        /** Whether the text holds a character the mark stands for: {@link #ANGLE}, {@link #BRACKET}, ... */
        boolean has(int mark) {
            return (marks & mark) != 0;
        }
    }

    private static final int LEET = 1;
    private static final int SPACED = 2;
    private static final int APOSTROPHE = 4;
    static final int ANGLE = 8;
    static final int BRACKET = 16;
    static final int BAR = 32;
    /** {@code ://}: a URL. */
    static final int URL = 64;
    /** {@code rm} followed by a space. */
    static final int RM = 128;

    static Folded foldText(String text) {
        char[] chars = isAscii(text) ? lowerAscii(text) : accentsAndLookAlikes(text).toCharArray();
        int marks = marks(chars);
        if ((marks & (LEET | SPACED | APOSTROPHE)) == 0) {
            return new Folded(chars, marks); // the common case: one pass to lower, one to look
        }
        String folded = new String(chars);
        folded = (marks & APOSTROPHE) != 0 ? contractions(folded) : folded;
        folded = (marks & LEET) != 0 ? leet(folded) : folded;
        folded = (marks & SPACED) != 0 ? joinSpacedLetters(folded) : folded;
        char[] done = folded.toCharArray();
        return new Folded(done, marks(done));
    }

    private static char[] lowerAscii(String text) {
        char[] chars = new char[text.length()];
        for (int i = 0; i < chars.length; i++) {
            char c = text.charAt(i);
            chars[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return chars;
    }

    /**
     * One pass that says which of the slower steps a text needs (ordinary prose has no digit beside a letter, no
     * one-letter word followed by another letter, no joiner between letters) and which pattern triggers it holds.
     */
    private static int marks(char[] s) {
        int marks = 0;
        int n = s.length;
        for (int i = 0; i < n; i++) {
            char c = s[i];
            if (c >= 'a' && c <= 'z') {
                continue; // letters, the common case
            }
            boolean letterBefore = i > 0 && isLetter(s[i - 1]);
            boolean letterAfter = i + 1 < n && isLetter(s[i + 1]);
            if ((c >= '0' && c <= '9') || c == '$') {
                marks |= letterBefore || letterAfter ? LEET : 0;
            } else if (c == '\'') {
                marks |= APOSTROPHE;
            } else if (letterBefore && letterAfter) {
                boolean oneLetterBefore = i < 2 || !isLetter(s[i - 2]);
                marks |= c != ' ' || oneLetterBefore ? SPACED : 0;
            }
            marks |= switch (c) {
                case '<' -> ANGLE;
                case '[' -> BRACKET;
                case '|' -> BAR;
                case ':' -> i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/' ? URL : 0;
                case ' ' -> i >= 2 && s[i - 1] == 'm' && s[i - 2] == 'r' ? RM : 0;
                default -> 0;
            };
        }
        return marks;
    }

    /** A word of a phrase list: case, accents and look-alikes folded as in a text. */
    static String foldWord(String word) {
        return accentsAndLookAlikes(word);
    }

    /**
     * English {@code n't} and {@code 's} joined to their word ({@code don't → dont}, {@code user's → users}), so that
     * a possessive is not read as the word itself; other apostrophes separate words ({@code l'utilisateur}).
     */
    private static String contractions(String s) {
        int at = s.indexOf('\'');
        if (at < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int copied = 0;
        for (; at >= 0; at = s.indexOf('\'', at + 1)) {
            boolean joins = at > 0 && isLetter(s.charAt(at - 1)) && at + 1 < s.length()
                    && (s.charAt(at + 1) == 's' || s.charAt(at + 1) == 't')
                    && (at + 2 == s.length() || !isLetter(s.charAt(at + 2)));
            if (joins) {
                out.append(s, copied, at);
                copied = at + 1;
            }
        }
        return copied == 0 ? s : out.append(s, copied, s.length()).toString();
    }

    /** Lower case, NFKC, hidden characters dropped, diacritics removed, look-alikes replaced. */
    private static String accentsAndLookAlikes(String text) {
        if (isAscii(text)) {
            return text.toLowerCase(java.util.Locale.ROOT); // ASCII is its own NFKC and NFD form
        }
        char[] nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC).toCharArray();
        for (int i = 0; i < nfkc.length; i++) {
            char latin = nfkc[i] < LOOK_ALIKE_TO.length ? LOOK_ALIKE_TO[nfkc[i]] : 0;
            nfkc[i] = latin != 0 ? latin : nfkc[i];
        }
        String lower = new String(nfkc).toLowerCase(java.util.Locale.ROOT);
        String nfd = Normalizer.normalize(lower, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length();) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                out.append((char) cp);
            } else if (Character.getType(cp) == Character.NON_SPACING_MARK || InvisibleCharacters.isHidden(cp)) {
                continue; // accents after NFD, and what a reader does not see
            } else {
                appendSpelt(cp, out);
            }
        }
        return out.toString();
    }

    private static void appendSpelt(int cp, StringBuilder out) {
        switch (cp) {
            case 'ß' -> out.append("ss");
            case 'æ' -> out.append("ae");
            case 'œ' -> out.append("oe");
            case 'ø' -> out.append('o');
            case 'ł' -> out.append('l');
            case 'đ' -> out.append('d');
            case 'ı' -> out.append('i');
            case '’', '‘', 'ʼ', '`', '´' -> out.append('\'');
            default -> {
                char latin = cp < LOOK_ALIKE_TO.length ? LOOK_ALIKE_TO[cp] : 0;
                if (latin != 0) {
                    out.append(latin);
                } else {
                    out.appendCodePoint(cp);
                }
            }
        }
    }

    /** Digits and {@code $} inside a run of letters and digits that has at least two letters. */
    private static String leet(String s) {
        char[] chars = null;
        int n = s.length();
        for (int i = 0; i < n;) {
            char c = s.charAt(i);
            if (!isAlnum(c)) {
                i++;
                continue;
            }
            int end = i;
            int letters = 0;
            boolean leet = false;
            while (end < n && isAlnum(s.charAt(end))) {
                char e = s.charAt(end);
                if (Character.isLetter(e)) {
                    letters++;
                } else {
                    leet |= leetLetter(e) != 0;
                }
                end++;
            }
            if (leet && letters >= 2) {
                chars = chars == null ? s.toCharArray() : chars;
                // a leading $ is a variable ($HOME), not an s
                for (int j = chars[i] == '$' ? i + 1 : i; j < end; j++) {
                    char l = leetLetter(chars[j]);
                    if (l != 0) {
                        chars[j] = l;
                    }
                }
            }
            i = end;
        }
        return chars == null ? s : new String(chars);
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '$' || (c >= 0x80 && Character.isLetter(c));
    }

    private static char leetLetter(char c) {
        return switch (c) {
            case '0' -> 'o';
            case '1' -> 'i';
            case '3' -> 'e';
            case '4' -> 'a';
            case '5', '$' -> 's';
            case '7' -> 't';
            default -> 0;
        };
    }

    /**
     * Joins runs of at least {@link #MIN_RUN} single letters separated by one space or one {@link #JOINERS} character
     * ({@code i g n o r e}), and runs of fragments of up to {@link #MAX_FRAGMENT} letters separated by one joiner
     * ({@code ig-no-re}). A wider gap ends the run, so {@code i g n o r e   a l l} stays two words.
     */
    private static String joinSpacedLetters(String s) {
        StringBuilder out = null;
        int n = s.length();
        int copied = 0;
        for (int i = 0; i < n;) {
            if (!isLetter(s.charAt(i)) || (i > 0 && isLetter(s.charAt(i - 1)))) {
                i++;
                continue;
            }
            int runEnd = run(s, i);
            if (runEnd < 0) {
                i = wordEnd(s, i);
                continue;
            }
            out = out == null ? new StringBuilder(n) : out;
            out.append(s, copied, i);
            for (int j = i; j < runEnd; j++) {
                if (isLetter(s.charAt(j))) {
                    out.append(s.charAt(j));
                }
            }
            copied = runEnd;
            i = runEnd;
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, n).toString();
    }

    /** The end of an obfuscated run starting at {@code start}, or -1 when there is none. */
    private static int run(String s, int start) {
        int first = wordEnd(s, start) - start;
        if (first > MAX_FRAGMENT) {
            return -1;
        }
        int fragments = 1;
        int end = start + first;
        boolean spaces = first == 1; // a space separates single letters only
        char joiner = 0;
        while (end + 1 < s.length()) {
            char sep = s.charAt(end);
            boolean ok = sep == ' ' ? spaces && joiner == 0 : JOINERS.indexOf(sep) >= 0 && (joiner == 0 || joiner == sep);
            if (!ok || !isLetter(s.charAt(end + 1))) {
                break;
            }
            int len = wordEnd(s, end + 1) - (end + 1);
            if (len > (sep == ' ' ? 1 : MAX_FRAGMENT)) {
                break;
            }
            if (sep != ' ') {
                joiner = sep;
                spaces = false;
            }
            spaces &= len == 1;
            fragments++;
            end = end + 1 + len;
        }
        return fragments >= MIN_RUN ? end : -1;
    }

    private static int wordEnd(String s, int i) {
        while (i < s.length() && isLetter(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** A letter of a folded text: {@code a-z}, or a letter of another script that folding kept. */
    static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 0x80 && Character.isLetter(c));
    }

    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
