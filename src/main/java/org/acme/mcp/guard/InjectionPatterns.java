package org.acme.mcp.guard;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The one list of phrases that address a model rather than a program: attempts to override its instructions, give it
 * a new role, reach its system prompt, hide actions from the user, or fake chat-template markup. Compiled once; a call
 * costs one pass of each pattern over the normalised text.
 * <p>
 * Text is normalised first (NFKC, so full-width and stylised letters become plain ones; invisible characters removed;
 * lower case), and words may be separated by any run of non-word characters or none, so {@code Ignore_ALL previous
 * instructions} and {@code ignorepreviousinstructions} match alike. The phrases are deliberately specific ("you are
 * now a …", "reveal your system prompt", not "system prompt" alone) to keep ordinary prose about prompts usable;
 * Prompt Shields is the broader, model-based check.
 * <p>
 * The text is the caller's, so every pattern must run in linear time: gaps and free words are possessive (a word is
 * never split between a word pattern and an empty gap) and repetitions are bounded (an unbounded group recurses per
 * repetition and overflows the stack on a long enough text).
 */
public final class InjectionPatterns {

    /**
     * A rule and the words one of which every match contains (indices into {@link #WORDS}): a text with none of them
     * skips the regex.
     */
    private record Rule(String reason, int[] anyOf, Pattern pattern) {

        /** {@code contained}: per word, 0 not searched yet, else {@link #FOUND} or {@link #ABSENT}. */
        boolean matches(String normalised, byte[] contained) {
            for (int word : anyOf) {
                // several rules share a word: each text is searched for it once
                if (contained[word] == 0) {
                    contained[word] = normalised.contains(WORDS.get(word)) ? FOUND : ABSENT;
                }
                if (contained[word] == FOUND) {
                    return pattern.matcher(normalised).find();
                }
            }
            return false;
        }
    }

    private static final byte FOUND = 1;
    private static final byte ABSENT = 2;
    /** Every rule's trigger words, each once; filled as the rules are built (so declared before them). */
    private static final List<String> WORDS = new ArrayList<>();

    /** Between words: any non-word characters, or none; possessive, so every rule's next token starts a word. */
    private static final String GAP = "[\\W_]*+";
    /** A word the rule does not name, possessive: "you are now a ~WORD~WORD~ assistant". */
    private static final String ANY_WORD = "\\w++~";

    private static final List<Rule> RULES = List.of(
            rule("instruction-override", List.of("ignore", "disregard", "forget", "override", "bypass", "neglect", "skip"),
                    "\\b(?:ignore|disregard|forget|override|bypass|neglect|skip)~"
                            + "(?:(?:all|any|every|the|your|my|these|those|of)~){0,8}"
                            + "(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|existing)~"
                            + "(?:instructions?|prompts?|rules|directions?|guidelines|context|commands?|constraints|guardrails)"),
            rule("instruction-override", List.of("disregard"),
                    "\\bdisregard~(?:the|everything|all|anything)~(?:above|before|prior)"),
            rule("instruction-override", List.of("forget"),
                    "\\bforget~(?:everything|all|what)~(?:above|before|you~(?:were|have~been)~told)"),
            rule("instruction-override", List.of("instruction"), "\\bnew~instructions?\\s*:"),
            rule("instruction-override", List.of("following"),
                    "\\bstop~following~(?:your|the|all|any)~(?:instructions|rules)"),
            rule("role-reassignment", List.of("now"), "\\byou~are~now~(?:a|an|the|my)~(?:" + ANY_WORD + "){0,3}"
                    + "(?:ai|assistant|model|bot|chatbot|character|persona|jailbroken|unrestricted|unfiltered|evil|dan)\\b"),
            rule("role-reassignment", List.of("now"),
                    "\\byou~are~now~(?:dan|in~developer~mode|no~longer~(?:bound|restricted|an?~ai)|free~of|"
                            + "unrestricted|jailbroken|unfiltered)\\b"),
            rule("role-reassignment", List.of("now"), "\\bfrom~now~on~you~(?:are|will~be|will~act~as|must~act~as)~"
                    + "(?:dan|an?~(?:" + ANY_WORD + "){0,2}(?:ai|assistant|model|bot|chatbot)\\b)"),
            rule("role-reassignment", List.of("anything"), "\\bdo~anything~now\\b"),
            rule("role-reassignment", List.of("pretend"),
                    "\\bpretend~(?:to~be|you~are)~an?~(?:ai|assistant|model)~(?:without|with~no)\\b"),
            rule("system-prompt", List.of("system"),
                    "\\b(?:reveal|print|show|repeat|output|leak|disclose|display|dump|ignore|override|forget|reset|change)~"
                            + "(?:me~)?(?:your|the|its|my)~(?:(?:full|entire|original|hidden|secret|initial)~)?"
                            + "system~(?:prompt|message|instructions)"),
            rule("system-prompt", List.of("system"),
                    "\\b(?:your|new|hidden|secret|updated)~system~(?:prompt|message)\\b"),
            rule("concealment", List.of("user", "human", "operator"),
                    "\\b(?:do~not|don'?t|never|without)~(?:tell|telling|inform|informing|mention|mentioning|reveal|revealing|"
                            + "alert|alerting|notify|notifying|let)~(?:the~)?(?:user|human|operator)(?!'s)\\b"),
            rule("concealment", List.of("user"),
                    "\\b(?:keep|hide)~(?:this|it|these~(?:steps|instructions))~(?:secret~)?from~(?:the~)?user\\b"),
            rule("fake-markup", List.of("<"), "<\\s*/?\\s*(?:important|system|instructions?|sys|admin)\\s*>"),
            rule("fake-markup", List.of("<|"),
                    "<\\|\\s*(?:im_start|im_end|system|endoftext|eot_id|start_header_id)\\s*\\|>"),
            rule("fake-markup", List.of("["), "\\[\\s*/?\\s*(?:inst|system)\\s*\\]"),
            rule("tool-hijack", List.of("tool"), "\\bbefore~using~this~tool\\b"),
            rule("tool-hijack", List.of("tool"), "\\botherwise~the~tool~will~not~work\\b"));

    private InjectionPatterns() {
    }

    private static Rule rule(String reason, List<String> anyOf, String regex) {
        int[] words = anyOf.stream().mapToInt(word -> {
            if (!WORDS.contains(word)) {
                WORDS.add(word);
            }
            return WORDS.indexOf(word);
        }).toArray();
        return new Rule(reason, words, Pattern.compile(regex.replace("~", GAP)));
    }

    /** NFKC, invisible characters dropped, lower case, whitespace runs collapsed. */
    public static String normalise(String text) {
        String visible = text;
        if (!isAscii(text)) { // ASCII is its own NFKC form and has no hidden characters
            String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
            StringBuilder kept = new StringBuilder(nfkc.length());
            nfkc.codePoints().filter(cp -> !InvisibleCharacters.isHidden(cp)).forEach(kept::appendCodePoint);
            visible = kept.toString();
        }
        return collapseWhitespace(visible.toLowerCase(Locale.ROOT));
    }

    /** Each run of {@code \\s} characters (space, tab, line breaks, form feed) as one space; a loop, not a regex. */
    private static String collapseWhitespace(String s) {
        if (singleSpacesOnly(s)) {
            return s; // the common case: nothing to change, nothing to copy
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean inRun = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean space = isSpace(c);
            if (!space) {
                out.append(c);
            } else if (!inRun) {
                out.append(' ');
            }
            inRun = space;
        }
        return out.toString();
    }

    private static boolean singleSpacesOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // all the whitespace characters are at most a space: one comparison for most characters
            if (c <= ' ' && (c == ' ' ? i > 0 && s.charAt(i - 1) == ' ' : isSpace(c))) {
                return false;
            }
        }
        return true;
    }

    /** What {@code \\s} matches: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Reasons of the rules that match the already normalised text, added to {@code into}. */
    public static void match(String normalised, Set<String> into) {
        byte[] contained = new byte[WORDS.size()];
        for (Rule rule : RULES) {
            if (!into.contains(rule.reason()) && rule.matches(normalised, contained)) {
                into.add(rule.reason());
            }
        }
    }

    /** Reasons for a raw text (normalised here). */
    public static Set<String> reasons(String text) {
        Set<String> found = new TreeSet<>();
        match(normalise(text), found);
        return found;
    }
}
