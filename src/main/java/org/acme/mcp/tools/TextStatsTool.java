package org.acme.mcp.tools;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.acme.mcp.api.RequiresScopes;
import org.acme.mcp.api.ToolError;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;

/** Counts lines, words and characters of a text and lists its most frequent words. Pure computation. */
public class TextStatsTool {

    /** Longest text accepted; longer input is a tool error, not a server error. */
    static final int MAX_LENGTH = 100_000;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

    public record WordCount(String word, int count) {
    }

    public record TextStats(int characters, int lines, int words, List<WordCount> topWords) {
    }

    @Tool(name = "text-stats", title = "Text statistics",
            description = "Counts characters, lines and words of a text and returns its five most frequent words"
                    + " (case-insensitive).",
            structuredContent = true,
            annotations = @Tool.Annotations(title = "Text statistics", readOnlyHint = true, destructiveHint = false,
                    idempotentHint = true, openWorldHint = false))
    @RequiresScopes("mcp.read")
    TextStats textStats(@ToolArg(description = "The text to analyse, at most 100000 characters") String text) {
        if (text.length() > MAX_LENGTH) {
            throw new ToolError("Text too long: " + text.length() + " characters, at most " + MAX_LENGTH);
        }
        Map<String, Integer> counts = new HashMap<>();
        int words = 0;
        var matcher = WORD.matcher(text);
        while (matcher.find()) {
            words++;
            counts.merge(matcher.group().toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
        List<WordCount> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer> comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(5)
                .map(e -> new WordCount(e.getKey(), e.getValue()))
                .toList();
        int lines = text.isEmpty() ? 0 : (int) text.lines().count();
        return new TextStats(text.codePointCount(0, text.length()), lines, words, top);
    }
}
