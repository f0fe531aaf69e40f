package org.acme.mcp.integrity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.acme.mcp.guard.InjectionPatterns;
import org.acme.mcp.guard.InvisibleCharacters;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Flags what tool poisoning looks like in a tool definition, in every string a model reads (title, description,
 * every schema text, property names, annotations): instructions aimed at the model, characters a reviewer cannot
 * see, references to secrets and local files, references to other tools, markup that hides text, encoded payloads,
 * links, overlong text. Characters and phrases are judged by the same rules as tool arguments
 * ({@link InvisibleCharacters}, {@link InjectionPatterns}), after NFKC normalisation, so look-alikes do not slip through.
 * <p>
 * A finding is not proof of an attack; a reviewed exception is configured per tool and rule
 * ({@code mcp.integrity.lint.allow}).
 */
public final class ToolDefinitionLinter {

    public static final String INVISIBLE = "invisible-character";
    public static final String INSTRUCTION = "model-instruction";
    public static final String SENSITIVE = "sensitive-reference";
    public static final String CROSS_TOOL = "cross-tool-reference";
    public static final String HIDDEN_MARKUP = "hidden-markup";
    public static final String ENCODED = "encoded-payload";
    public static final String URL = "external-url";
    public static final String OVERLONG = "overlong-text";
    public static final Set<String> RULES = Set.of(INVISIBLE, INSTRUCTION, SENSITIVE, CROSS_TOOL, HIDDEN_MARKUP, ENCODED,
            URL, OVERLONG);

    /** One finding: where in which tool, which rule, and the matched text (invisible characters escaped). */
    public record Finding(String tool, String path, String rule, String excerpt) {
        @Override
        public String toString() {
            return "tool '" + tool + "' " + path + ": " + rule + " (" + excerpt + ")";
        }
    }

    private record Rule(String name, Pattern pattern) {
    }

    private static final List<Rule> RULE_PATTERNS = List.of(
            // what a description says to the model beyond the phrases every input is checked for (InjectionPatterns)
            new Rule(INSTRUCTION, Pattern.compile(String.join("|",
                    "\\buser (must|should) not (know|see|notice|be told)\\b",
                    "\\bbefore (calling|invoking|running|using) (any|the|other) tools?\\b",
                    "\\b(secretly|silently|quietly|covertly|without (telling|informing|asking|notifying))\\b",
                    "\\b(this is (very |extremely )?important|system message)\\b",
                    "\\bwhen (this|the|any|that) tool is (available|present|loaded|called|used|invoked)\\b",
                    "\\b(change|replace|redirect|modify|set) the (recipient|destination|receiver|address|url|email|phone number)\\b",
                    "\\b(the )?(assistant|model|ai|llm) (must|should|has to|needs to|will)\\b"))),
            new Rule(SENSITIVE, Pattern.compile(String.join("|",
                    "~/", "\\.ssh\\b", "\\bid_(rsa|dsa|ecdsa|ed25519)\\b", "\\.aws/", "(^|[^a-z])\\.env\\b", "\\bmcp\\.json\\b",
                    "\\.cursor/", "claude_desktop_config", "/etc/(passwd|shadow)", "\\bprivate[ _-]?keys?\\b",
                    "\\bapi[ _-]?keys?\\b", "\\bsecret[ _-]?keys?\\b", "\\bpasswords?\\b", "\\bcredentials?\\b",
                    "\\bseed phrase\\b"))),
            new Rule(ENCODED, Pattern.compile("[a-z0-9+/_-]{48,}={0,2}|(\\\\x[0-9a-f]{2}){8,}|(%[0-9a-f]{2}){8,}")),
            new Rule(URL, Pattern.compile("\\b(https?|ftp|file|data|javascript):|\\bwww\\.[a-z0-9-]+\\.")));

    private static final Pattern HIDDEN_MARKUP_PATTERN = Pattern
            .compile("<!--|\\]\\(\\s*\\)|(\\r?\\n){6,}|[ \\t]{40,}|\\u00a0{3,}");

    /** Keys whose values are schema plumbing, not text for the model. */
    private static final Set<String> PLUMBING = Set.of("$schema", "$id", "$ref");

    private final int maxTextLength;
    private final Map<String, List<String>> allowed;

    public ToolDefinitionLinter(int maxTextLength, Map<String, List<String>> allowed) {
        this.maxTextLength = maxTextLength;
        this.allowed = allowed;
    }

    /** Findings for every tool; {@code definitions} is the whole tool set, so references between tools are seen. */
    public List<Finding> lint(Map<String, JsonObject> definitions) {
        List<Finding> findings = new ArrayList<>();
        definitions.forEach((tool, definition) -> lint(tool, definition, definitions.keySet(), findings));
        return findings;
    }

    void lint(String tool, JsonObject definition, Collection<String> tools, List<Finding> out) {
        List<String> skip = allowed.getOrDefault(tool, List.of());
        List<Pattern> others = tools.stream().filter(t -> !t.equals(tool) && t.length() >= 4)
                .map(t -> Pattern.compile("(?<![\\w-])" + Pattern.quote(t.toLowerCase(Locale.ROOT)) + "(?![\\w-])"))
                .toList();
        walk("", definition, (path, text) -> check(tool, path, text, others, out, skip));
    }

    private void check(String tool, String path, String text, List<Pattern> others, List<Finding> out, List<String> skip) {
        InvisibleCharacters.Scan hidden = InvisibleCharacters.scan(text);
        if (!hidden.kinds().isEmpty()) {
            add(tool, path, INVISIBLE, excerpt(text), skip, out);
        }
        if (path.equals("name")) {
            return; // a name is an identifier: only hidden characters matter there
        }
        if (text.length() > maxTextLength) {
            add(tool, path, OVERLONG, text.length() + " characters, limit " + maxTextLength, skip, out);
        }
        Matcher markup = HIDDEN_MARKUP_PATTERN.matcher(text); // on the raw text: normalising collapses blank runs
        if (markup.find()) {
            add(tool, path, HIDDEN_MARKUP, excerpt(text, markup.start(), markup.end()), skip, out);
        }
        // as a model reads it: look-alikes folded, invisible characters gone, Unicode tags as the ASCII they spell
        String normal = InjectionPatterns.normalise(text)
                + (hidden.tagText().isEmpty() ? "" : " " + InjectionPatterns.normalise(hidden.tagText()));
        Set<String> phrases = new TreeSet<>();
        InjectionPatterns.match(normal, phrases);
        if (!phrases.isEmpty()) {
            add(tool, path, INSTRUCTION, phrases + " " + excerpt(normal), skip, out);
        }
        for (Rule rule : RULE_PATTERNS) {
            Matcher m = rule.pattern().matcher(normal);
            if (m.find() && !(rule.name().equals(INSTRUCTION) && !phrases.isEmpty())) {
                add(tool, path, rule.name(), excerpt(normal, m.start(), m.end()), skip, out);
            }
        }
        for (Pattern other : others) {
            Matcher m = other.matcher(normal);
            if (m.find()) {
                add(tool, path, CROSS_TOOL, excerpt(normal, m.start(), m.end()), skip, out);
            }
        }
    }

    private static void add(String tool, String path, String rule, String excerpt, List<String> skip, List<Finding> out) {
        if (!skip.contains(rule)) {
            out.add(new Finding(tool, path, rule, excerpt));
        }
    }

    private static String excerpt(String text) {
        return InvisibleCharacters.neutralise(text.length() > 120 ? text.substring(0, 120) + "..." : text);
    }

    private static String excerpt(String text, int start, int end) {
        int from = Math.max(0, start - 20);
        int to = Math.min(text.length(), Math.max(end, start + 60) + 20);
        return "\"" + (from > 0 ? "..." : "") + InvisibleCharacters.neutralise(text.substring(from, Math.min(to, from + 160)))
                .replace("\n", "\\n") + (to < text.length() ? "..." : "") + "\"";
    }

    private interface Visitor {
        void text(String path, String text);
    }

    private static void walk(String path, Object value, Visitor visitor) {
        if (value instanceof JsonObject o) {
            for (String key : o.fieldNames()) {
                String child = path.isEmpty() ? key : path + "." + key;
                visitor.text(child + " (key)", key);
                if (!PLUMBING.contains(key)) {
                    walk(child, o.getValue(key), visitor);
                }
            }
        } else if (value instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
                walk(path + "[" + i + "]", a.getValue(i), visitor);
            }
        } else if (value instanceof String s) {
            visitor.text(path, s);
        }
    }
}
