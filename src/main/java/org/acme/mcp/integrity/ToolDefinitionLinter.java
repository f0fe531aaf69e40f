package org.acme.mcp.integrity;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Flags what tool poisoning looks like in a tool definition, in every string a model reads (title, description,
 * every schema text, property names, annotations): instructions aimed at the model, characters a reviewer cannot
 * see, references to secrets and local files, references to other tools, markup that hides text, encoded payloads,
 * links, overlong text. Text is NFKC-normalised and lower-cased first, so look-alike letters do not slip through.
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
            new Rule(INSTRUCTION, Pattern.compile(String.join("|",
                    "\\b(ignore|disregard|forget|override|bypass)\\b.{0,40}\\b(instructions?|rules|guidelines|prompts?"
                            + "|directions|system message)\\b",
                    "<\\s*/?\\s*(important|system|instructions?|secret|hidden|admin|critical)\\s*>",
                    "\\b(do not|don't|dont|never|must not)\\s+(tell|mention|inform|reveal|show|notify|alert|disclose)\\b"
                            + ".{0,60}\\b(user|human|anyone|them)\\b",
                    "\\buser (must|should) not (know|see|notice|be told)\\b",
                    "\\bbefore (using|calling|invoking|running) (this|any|the|other) tools?\\b",
                    "\\b(secretly|silently|quietly|covertly|without (telling|informing|asking|notifying))\\b",
                    "\\b(system prompt|you are now|new instructions|otherwise the tool will not work|this is (very |extremely )?important)\\b",
                    "\\bwhen (this|the|any|that) tool is (available|present|loaded|called|used|invoked)\\b",
                    "\\b(change|replace|redirect|modify|set) the (recipient|destination|receiver|address|url|email|phone number)\\b",
                    "\\b(the )?(assistant|model|ai|llm) (must|should|has to|needs to|will)\\b"))),
            new Rule(SENSITIVE, Pattern.compile(String.join("|",
                    "~/", "\\.ssh\\b", "\\bid_(rsa|dsa|ecdsa|ed25519)\\b", "\\.aws/", "(^|[^a-z])\\.env\\b", "\\bmcp\\.json\\b",
                    "\\.cursor/", "claude_desktop_config", "/etc/(passwd|shadow)", "\\bprivate[ _-]?keys?\\b",
                    "\\bapi[ _-]?keys?\\b", "\\bsecret[ _-]?keys?\\b", "\\bpasswords?\\b", "\\bcredentials?\\b",
                    "\\bseed phrase\\b"))),
            new Rule(HIDDEN_MARKUP, Pattern.compile("<!--|\\]\\(\\s*\\)|\\n{6,}|[ \\t]{40,}|\\u00a0{3,}")),
            new Rule(ENCODED, Pattern.compile("[a-z0-9+/_-]{48,}={0,2}|(\\\\x[0-9a-f]{2}){8,}|(%[0-9a-f]{2}){8,}")),
            new Rule(URL, Pattern.compile("\\b(https?|ftp|file|data|javascript):|\\bwww\\.[a-z0-9-]+\\.")));

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
        if (!skip.contains(INVISIBLE) && TextScan.firstInvisible(text) >= 0) {
            out.add(new Finding(tool, path, INVISIBLE, excerpt(text)));
        }
        if (path.equals("name")) {
            return; // a name is an identifier: only hidden characters matter there
        }
        if (!skip.contains(OVERLONG) && text.length() > maxTextLength) {
            out.add(new Finding(tool, path, OVERLONG, text.length() + " characters, limit " + maxTextLength));
        }
        String normal = normalise(text);
        for (Rule rule : RULE_PATTERNS) {
            if (skip.contains(rule.name())) {
                continue;
            }
            Matcher m = rule.pattern().matcher(normal);
            if (m.find()) {
                out.add(new Finding(tool, path, rule.name(), excerpt(normal, m.start(), m.end())));
            }
        }
        if (!skip.contains(CROSS_TOOL)) {
            for (Pattern other : others) {
                Matcher m = other.matcher(normal);
                if (m.find()) {
                    out.add(new Finding(tool, path, CROSS_TOOL, excerpt(normal, m.start(), m.end())));
                }
            }
        }
    }

    /**
     * As a model reads it: NFKC (full-width and other look-alikes fold to ASCII), Unicode tag characters as the ASCII
     * they encode, other invisible characters dropped, lower case.
     */
    static String normalise(String text) {
        StringBuilder visible = new StringBuilder(text.length());
        Normalizer.normalize(text, Normalizer.Form.NFKC).codePoints().forEach(cp -> {
            if (cp >= 0xE0020 && cp <= 0xE007E) {
                visible.append((char) (cp - 0xE0000));
            } else if (!TextScan.isInvisible(cp)) {
                visible.appendCodePoint(cp);
            }
        });
        return visible.toString().toLowerCase(Locale.ROOT);
    }

    private static String excerpt(String text) {
        return TextScan.escapeInvisible(text.length() > 120 ? text.substring(0, 120) + "..." : text);
    }

    private static String excerpt(String text, int start, int end) {
        int from = Math.max(0, start - 20);
        int to = Math.min(text.length(), Math.max(end, start + 60) + 20);
        return "\"" + (from > 0 ? "..." : "") + TextScan.escapeInvisible(text.substring(from, Math.min(to, from + 160)))
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
