package org.acme.mcp.guard;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The local detector against the labelled corpus in {@code src/test/resources/injection-corpus/}: per language,
 * injection attempts of five families and benign texts that use the same trigger words. The word lists, the rules and
 * the classifier's threshold were tuned on the {@code dev} split only (the classifier learnt from {@code train}); the
 * {@code held-out} split, written apart from both, measures. The shipped configuration (phrase rules and classifier)
 * must reach {@link #MIN_DETECTION} and stay at or under {@link #MAX_FALSE_POSITIVES} in every language of both splits;
 * the rules alone are reported beside it. The table goes to stdout and {@code target/injection-corpus.md}.
 * <p>
 * {@code -Dcorpus.show=dev} also prints the dev split's misses and false alarms of the rules, for work on the word
 * lists. Never tune on what the held-out split misses: it would stop measuring anything.
 */
class InjectionCorpusTest {

    /**
     * Share of attacks detected, per language and split, at least. The aim is 0.90: the held-out split measured
     * 0.76-0.90 when the thresholds were set, so a fall of a sample in the weakest languages fails.
     */
    static final double MIN_DETECTION = 0.75;
    /**
     * Share of benign texts flagged, per language and split, at most. The aim is 0.02: the held-out split measured
     * 0-0.05 (the phrase rules' alarms on texts that quote an attack), so one more false alarm fails.
     */
    static final double MAX_FALSE_POSITIVES = 0.05;

    record Sample(String label, String text) {

        boolean attack() {
            return !label.equals("benign");
        }
    }

    record Score(String language, int attacks, int detected, int benign, int flagged) {

        double detection() {
            return attacks == 0 ? 1 : (double) detected / attacks;
        }

        double falsePositives() {
            return benign == 0 ? 0 : (double) flagged / benign;
        }
    }

    private final LocalInjectionDetector rules = new LocalInjectionDetector(true, 262_144, 4096,
            InjectionPatterns.LANGUAGES, false);
    /** As shipped: {@code mcp.guard.local.classifier=true}. */
    private final LocalInjectionDetector withClassifier = new LocalInjectionDetector(true, 262_144, 4096,
            InjectionPatterns.LANGUAGES, true);

    @Test
    void eachLanguageMeetsTheThresholdsOnBothSplits() throws IOException {
        StringBuilder report = new StringBuilder("| split | language | rules: attacks detected | rules: benign flagged"
                + " | rules + classifier: detected | rules + classifier: flagged |\n|---|---|---|---|---|---|\n");
        List<String> failures = new ArrayList<>();
        for (String split : List.of("dev", "held-out")) {
            boolean show = split.equals(System.getProperty("corpus.show"));
            for (String language : InjectionPatterns.LANGUAGES) {
                Score score = score(rules, split, language, show);
                Score both = score(withClassifier, split, language, false);
                report.append(String.format("| %s | %s | %s | %s | %s | %s |%n", split, language,
                        share(score.detected(), score.attacks()), share(score.flagged(), score.benign()),
                        share(both.detected(), both.attacks()), share(both.flagged(), both.benign())));
                if (both.detection() < MIN_DETECTION || both.falsePositives() > MAX_FALSE_POSITIVES) {
                    failures.add(split + "/" + language);
                }
                assertTrue(both.attacks() >= 50 && both.benign() >= 60, split + "/" + language + " is too small");
            }
        }
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/injection-corpus.md"), report);
        assertTrue(failures.isEmpty(), "below " + MIN_DETECTION + " detected or above " + MAX_FALSE_POSITIVES
                + " false positives: " + failures + "\n" + report);
    }

    private static String share(int part, int whole) {
        return String.format("%d/%d (%.1f %%)", part, whole, 100.0 * part / whole);
    }

    private Score score(LocalInjectionDetector detector, String split, String language, boolean show)
            throws IOException {
        int attacks = 0;
        int detected = 0;
        int benign = 0;
        int flagged = 0;
        for (Sample sample : read(split, language)) {
            Set<InjectionPatterns.Finding> findings = new TreeSet<>();
            detector.inspect(sample.text(), findings);
            boolean hit = !findings.isEmpty();
            if (sample.attack()) {
                attacks++;
                detected += hit ? 1 : 0;
            } else {
                benign++;
                flagged += hit ? 1 : 0;
            }
            if (show && hit != sample.attack()) {
                System.out.println((hit ? "FALSE ALARM " + findings : "MISSED " + sample.label()) + " [" + language
                        + "] " + sample.text());
            }
        }
        return new Score(language, attacks, detected, benign, flagged);
    }

    static List<Sample> read(String split, String language) throws IOException {
        String resource = "injection-corpus/" + split + "/" + language + ".tsv";
        try (InputStream in = InjectionCorpusTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            List<Sample> samples = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                samples.add(new Sample(line.substring(0, tab), line.substring(tab + 1).replace("\\n", "\n")
                        .replace("\\t", "\t")));
            }
            return samples;
        }
    }
}
