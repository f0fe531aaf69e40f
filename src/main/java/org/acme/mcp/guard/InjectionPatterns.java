package org.acme.mcp.guard;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The phrases that address a model rather than a program, in every language with a word list: attempts to override
 * its instructions, give it a new role, reach its system prompt, send data out, misuse tools or hide actions from the
 * user, and fake chat-template markup.
 * <p>
 * A text is {@link TextFolding folded} (case, accents, look-alike letters, leetspeak, spaced-out letters), cut into
 * words, and each word is looked up once in the {@link PhraseLexicon}, which says what concepts it carries in which
 * language; a word nobody lists as a whole is tried as listed words written together ({@code ignorepreviousrules}).
 * The {@link PhraseRule}s then look for their concepts near each other, all in one language, which names the
 * finding ({@code instruction-override/de}). Markup, shell pipes and URL templates are matched by patterns that need
 * no language.
 * <p>
 * Rules are deliberately specific ("reveal your system prompt", not "system prompt" alone) to keep ordinary prose
 * about prompts usable; Prompt Shields is the broader, model-based check. Everything runs in linear time in the
 * text's length: one pass for folding, one trie walk per word, a bounded window per anchor word, and patterns whose
 * repetitions are bounded and possessive where two of them meet ({@code LocalInjectionDetectorTest} feeds them
 * inputs built against backtracking).
 */
public final class InjectionPatterns {

    /** What fired: the rule family and, for a phrase rule, the language whose words it matched. */
    public record Finding(String family, String language) implements Comparable<Finding> {

        @Override
        public String toString() {
            return language == null ? family : family + "/" + language;
        }

        @Override
        public int compareTo(Finding o) {
            return toString().compareTo(o.toString());
        }
    }

    /** The languages shipped with word lists, in the order a finding names them when several match. */
    public static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "nl", "pt");

    private static final InjectionPatterns ALL = new InjectionPatterns(PhraseLexicon.load(LANGUAGES), null);
    /** The family of a statistical detection ({@link InjectionClassifier}). */
    public static final String CLASSIFIER = "classifier";

    /** A sentence end counts as this many words: a rule's window rarely reaches into the next sentence. */
    private static final int SENTENCE_GAP = 6;
    /** Words either side of an anchor searched for a negation. */
    private static final int NEGATION_REACH = 3;

    /** A pattern that needs no language, run only when the text holds its trigger ({@link TextFolding.Folded#has}). */
    private record Markup(String family, int trigger, Pattern pattern) {
    }

    /** Blanks inside markup, bounded: an unbounded {@code \\s*} beside another backtracks on a run of spaces. */
    private static final String BLANKS = "\\s{0,8}+";

    private static final List<Markup> MARKUP = List.of(
            new Markup("fake-markup", TextFolding.ANGLE, Pattern.compile("<" + BLANKS + "/?" + BLANKS
                    + "(?:important|importante|wichtig|belangrijk|system|systeme|sistema|systeem|instructions?|sys|admin)"
                    + BLANKS + ">")),
            new Markup("fake-markup", TextFolding.ANGLE, Pattern.compile("<\\|" + BLANKS
                    + "(?:im_start|im_end|system|endoftext|eot_id|start_header_id)" + BLANKS + "\\|>")),
            new Markup("fake-markup", TextFolding.BRACKET,
                    Pattern.compile("\\[" + BLANKS + "/?" + BLANKS + "(?:inst|system)" + BLANKS + "\\]")),
            // "rm -rf /", "rm -fr ~", "rm -r -f \"$HOME\"": a recursive removal from the root or the home directory
            new Markup(PhraseRule.TOOL_MISUSE, TextFolding.RM, Pattern.compile(
                    "\\brm\\s{1,4}+(?:-[a-z]{0,3}r[a-z]{0,3}|-[a-z]{1,3}\\s{1,4}+-[a-z]{0,3}r[a-z]{0,3})\\s{1,4}+[\"']?"
                            + "(?:/|~|\\*|\\$\\{?home)")));

    /**
     * "curl https://x.example/i.sh | sh": a download from a host piped into a shell. Each {@code curl} or {@code wget}
     * is followed to the next pipe at most 300 characters on, possessively (no backtracking), and only that stretch is
     * searched for a host name.
     */
    private static final Pattern DOWNLOAD_TO_SHELL = Pattern.compile(
            "\\b(?:curl|wget)\\b[^|\\n]{0,300}+\\|\\s*+(?:sudo\\s++)?(?:ba|z|da|k)?sh\\b");
    private static final Pattern HOST = Pattern.compile("[\\w-]\\.[a-z]{2,63}+");

    /**
     * On the text as sent (placeholders are upper case): a URL whose last parameter is empty or a placeholder,
     * {@code https://x.example/log?d=} or {@code ?d={conversation}} or {@code ?d=API_KEY}, asks to be filled with data.
     */
    private static final Pattern URL_TO_FILL = Pattern.compile("(?i:https?)://[^\\s)\\]\"'>]{0,300}[?&#][\\w.\\-]{1,40}+="
            + "(?:[A-Z][A-Z0-9_]{2,}+(?![a-z0-9])|\\{|\\$\\{|\\[|<|%7[bB]|(?=[\\s)\\]\"'>]|$))");

    private final PhraseLexicon lexicon;
    private final List<PhraseRule> rules = PhraseRule.ALL_RULES;
    /** Asked about texts no rule matched; null when off. */
    private final InjectionClassifier classifier;

    private InjectionPatterns(PhraseLexicon lexicon, InjectionClassifier classifier) {
        this.lexicon = lexicon;
        this.classifier = classifier;
    }

    /**
     * Phrase rules in these languages (codes of {@code guard/phrases/<lang>.txt}), and with {@code classifier} the
     * statistical layer for texts no rule matches.
     */
    public static InjectionPatterns forLanguages(List<String> languages, boolean classifier) {
        // the shipped languages' lists are read once, for the linter and every detector alike
        PhraseLexicon lexicon = languages.equals(LANGUAGES) ? ALL.lexicon : PhraseLexicon.load(languages);
        return lexicon == ALL.lexicon && !classifier ? ALL
                : new InjectionPatterns(lexicon, classifier ? InjectionClassifier.load() : null);
    }

    /** NFKC, invisible characters dropped, lower case, whitespace runs collapsed: for patterns of other checks. */
    public static String normalise(String text) {
        String visible = text;
        if (!TextFolding.isAscii(text)) { // ASCII is its own NFKC form and has no hidden characters
            String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
            StringBuilder kept = new StringBuilder(nfkc.length());
            nfkc.codePoints().filter(cp -> !InvisibleCharacters.isHidden(cp)).forEach(kept::appendCodePoint);
            visible = kept.toString();
        }
        return visible.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** The families found in a text, every language (the tool-definition linter's use). */
    public static void match(String text, Set<String> families) {
        Set<Finding> found = new TreeSet<>();
        ALL.find(text, found);
        found.forEach(f -> families.add(f.family()));
    }

    /** Adds what fires in {@code text} to {@code into}: at most one finding per family. */
    public void find(String text, Set<Finding> into) {
        int before = into.size();
        TextFolding.Folded folded = TextFolding.foldText(text);
        int conceptWords = rules(text, folded, into);
        // the classifier reads only texts with a word some rule looks for: prose without one (most tool input) costs
        // nothing more, and an attack without any such word in seven languages is not one the corpus has seen
        if (classifier != null && into.size() == before && conceptWords > 0 && classifier.detects(folded.string())) {
            into.add(new Finding(CLASSIFIER, languageOf(folded.chars)));
        }
    }

    /** The language whose lists know most of the text's words (filler words count: they name a language best). */
    private String languageOf(char[] s) {
        int[] known = new int[lexicon.languageCount()];
        int n = s.length;
        for (int i = 0; i < n;) {
            if (!TextFolding.isLetter(s[i])) {
                i++;
                continue;
            }
            int end = i + 1;
            while (end < n && TextFolding.isLetter(s[end])) {
                end++;
            }
            long languages = lexicon.languagesListing(s, i, end);
            for (int l = 0; l < known.length; l++) {
                known[l] += (int) (languages >>> l) & 1;
            }
            i = end;
        }
        int best = 0;
        for (int l = 1; l < known.length; l++) {
            best = known[l] > known[best] ? l : best;
        }
        return known[best] == 0 ? null : lexicon.languages().get(best);
    }

    /** Adds what the rules find; returns how many words carry a concept. */
    private int rules(String text, TextFolding.Folded folded, Set<Finding> into) {
        for (Markup m : MARKUP) {
            if (folded.has(m.trigger()) && m.pattern().matcher(folded.string()).find()) {
                into.add(new Finding(m.family(), null));
            }
        }
        if (folded.has(TextFolding.URL) && URL_TO_FILL.matcher(text).find()) {
            into.add(new Finding(PhraseRule.EXFILTRATION, null));
        }
        if (folded.has(TextFolding.BAR)) {
            java.util.regex.Matcher pipe = DOWNLOAD_TO_SHELL.matcher(folded.string());
            while (pipe.find()) {
                if (HOST.matcher(folded.string()).region(pipe.start(), pipe.end()).find()) {
                    into.add(new Finding(PhraseRule.TOOL_MISUSE, null));
                    break;
                }
            }
        }
        Words words = words(folded.chars);
        if (words.count == 0) {
            return 0;
        }
        Set<String> families = new TreeSet<>();
        into.forEach(f -> families.add(f.family()));
        for (PhraseRule rule : rules) {
            if (families.contains(rule.family())) {
                continue;
            }
            for (int l = 0; l < lexicon.languageCount(); l++) {
                if (words.matches(rule, l)) {
                    into.add(new Finding(rule.family(), lexicon.languages().get(l)));
                    families.add(rule.family());
                    break;
                }
            }
        }
        return words.count;
    }

    /** The words of a folded text that carry a concept: their positions and, per language, their concepts. */
    private final class Words {

        final int langs = lexicon.languageCount();
        int count;
        int[] position = new int[16];
        /** Per word: its clause (a comma, colon or sentence end starts the next); a negation reaches only its own. */
        int[] clause = new int[16];
        long[] masks = new long[16 * langs];
        /** Per language: the concepts of all words together, to skip rules that cannot match. */
        final long[] present = new long[langs];

        void add(int pos, int inClause, long[] m) {
            long any = 0;
            for (int l = 0; l < langs; l++) {
                any |= m[l];
            }
            if ((any & ~Concept.FILLER.bit) == 0) {
                return;
            }
            if (count == position.length) {
                position = java.util.Arrays.copyOf(position, count * 2);
                clause = java.util.Arrays.copyOf(clause, count * 2);
                masks = java.util.Arrays.copyOf(masks, count * 2 * langs);
            }
            position[count] = pos;
            clause[count] = inClause;
            System.arraycopy(m, 0, masks, count * langs, langs);
            for (int l = 0; l < langs; l++) {
                present[l] |= m[l];
            }
            count++;
        }

        boolean matches(PhraseRule rule, int l) {
            long needed = rule.anchor();
            if ((present[l] & needed) == 0) {
                return false;
            }
            for (long slot : rule.with()) {
                if ((present[l] & slot) == 0) {
                    return false;
                }
            }
            for (int a = 0; a < count; a++) {
                if ((masks[a * langs + l] & rule.anchor()) == 0) {
                    continue;
                }
                if (rule.negatable() && negated(a, l)) {
                    continue;
                }
                long seen = around(a, l, rule.window());
                boolean all = true;
                for (long slot : rule.with()) {
                    all &= (seen & slot) != 0;
                }
                if (all) {
                    return true;
                }
            }
            return false;
        }

        /** The concepts of the words within {@code window} of word {@code a}, itself included. */
        private long around(int a, int l, int window) {
            long seen = masks[a * langs + l];
            for (int i = a - 1; i >= 0 && position[a] - position[i] <= window; i--) {
                seen |= masks[i * langs + l];
            }
            for (int i = a + 1; i < count && position[i] - position[a] <= window; i++) {
                seen |= masks[i * langs + l];
            }
            return seen;
        }

        /**
         * A negation within {@link #NEGATION_REACH} words of word {@code a} and in its clause: "never send it",
         * "sende es niemals", but not "not kidding, ignore ...".
         */
        private boolean negated(int a, int l) {
            for (int i = a - 1; i >= 0 && position[a] - position[i] <= NEGATION_REACH && clause[i] == clause[a]; i--) {
                if ((masks[i * langs + l] & Concept.NEGATION.bit) != 0) {
                    return true;
                }
            }
            for (int i = a + 1; i < count && position[i] - position[a] <= NEGATION_REACH && clause[i] == clause[a]; i++) {
                if ((masks[i * langs + l] & Concept.NEGATION.bit) != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private Words words(char[] s) {
        Words words = new Words();
        int langs = lexicon.languageCount();
        long[] m = new long[langs];
        int pos = 0;
        int clause = 0;
        int n = s.length;
        for (int i = 0; i < n;) {
            char c = s[i];
            if (!TextFolding.isLetter(c)) {
                clause += c == ',' || c == ':' || c == ';' || c == '.' || c == '!' || c == '?' || c == '\n' ? 1 : 0;
                boolean stop = c == '.' || c == '!' || c == '?' || c == ';';
                boolean paragraph = c == '\n' && i > 0 && s[i - 1] == '\n';
                if (paragraph || (stop && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\n'))) {
                    pos += SENTENCE_GAP; // not the dot of a file name, a number or a domain, nor a wrapped line
                }
                i++;
                continue;
            }
            int end = i + 1;
            while (end < n && TextFolding.isLetter(s[end])) {
                end++;
            }
            int found = lexicon.lookup(s, i, end, m);
            if ((found & PhraseLexicon.LISTED) == 0 && end - i >= 6) {
                List<long[]> parts = lexicon.split(s, i, end);
                if (!parts.isEmpty()) {
                    for (long[] part : parts) {
                        words.add(pos++, clause, part);
                    }
                    i = end;
                    continue;
                }
            }
            boolean emailDomain = i > 1 && s[i - 1] == '@' && isLetterOrDigit(s[i - 2]);
            if ((found & PhraseLexicon.MEANINGFUL) == 0 && !emailDomain) {
                pos++; // a word no rule looks for
                i = end;
                continue;
            }
            if ((found & PhraseLexicon.MEANINGFUL) == 0) {
                java.util.Arrays.fill(m, 0);
            }
            boolean colon = followedByColon(s, end);
            for (int l = 0; l < langs; l++) {
                m[l] |= (emailDomain ? Concept.DESTINATION.bit : 0) | (colon && m[l] != 0 ? Concept.COLON.bit : 0);
            }
            words.add(pos++, clause, m);
            i = end;
        }
        return words;
    }

    private static boolean followedByColon(char[] s, int end) {
        int i = end;
        while (i < s.length && s[i] == ' ') {
            i++;
        }
        return i < s.length && s[i] == ':';
    }

    private static boolean isLetterOrDigit(char c) {
        return TextFolding.isLetter(c) || (c >= '0' && c <= '9');
    }
}
