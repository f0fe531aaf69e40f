package org.acme.mcp.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The word lists load whole, and a broken or missing list stops the detector from being built. */
class PhraseLexiconTest {

    /** Every word of every list, looked up as the text would spell it, carries its concept in its language. */
    @Test
    void everyListedWordIsFoundWithItsConcept() throws IOException {
        PhraseLexicon lexicon = PhraseLexicon.load(InjectionPatterns.LANGUAGES);
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (int l = 0; l < InjectionPatterns.LANGUAGES.size(); l++) {
            for (String file : List.of("common", InjectionPatterns.LANGUAGES.get(l))) {
                for (String line : lines(file)) {
                    int colon = line.indexOf(':');
                    Concept concept = Concept.valueOf(line.substring(0, colon).strip().toUpperCase(Locale.ROOT)
                            .replace('-', '_'));
                    for (String word : line.substring(colon + 1).strip().split("\\s+")) {
                        // a stem stands for a word with an ending, a head for a compound
                        String sample = word.endsWith("*") ? word.substring(0, word.length() - 1) + "en"
                                : word.startsWith("*") ? "xyz" + word.substring(1) : word;
                        char[] folded = TextFolding.foldWord(sample).toCharArray();
                        long[] masks = new long[InjectionPatterns.LANGUAGES.size()];
                        lexicon.lookup(folded, 0, folded.length, masks);
                        checked++;
                        boolean found = concept == Concept.FILLER // filler is only listed, never reported
                                ? (lexicon.languagesListing(folded, 0, folded.length) & (1L << l)) != 0
                                : (masks[l] & concept.bit) != 0;
                        if (!found) {
                            missing.add(file + ": " + word + " (" + concept + ")");
                        }
                    }
                }
            }
        }
        assertTrue(checked > 2000, "only " + checked + " words");
        assertEquals(List.of(), missing);
    }

    @Test
    void aMissingLanguageStopsTheBuild() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new LocalInjectionDetector(true, 1000, 4096, List.of("en", "xx"), false));
        assertTrue(e.getMessage().contains("'xx'"), e.getMessage());
    }

    private static List<String> lines(String file) throws IOException {
        try (InputStream in = PhraseLexiconTest.class.getClassLoader()
                .getResourceAsStream(PhraseLexicon.RESOURCES + file + ".txt")) {
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.strip().startsWith("#")) {
                    out.add(line.strip());
                }
            }
            return out;
        }
    }
}
