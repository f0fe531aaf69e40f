package org.acme.mcp.guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Trains {@link InjectionClassifier} on the corpus's {@code train} split (three parts per language, written apart) and picks
 * its threshold on the {@code dev} split (the lowest that flags at most
 * {@link #MAX_DEV_FALSE_POSITIVES_PER_LANGUAGE} benign text per language); the held-out split is never read. The
 * hyper-parameters were
 * compared on the dev split (epochs 10-60, L2 1e-7-1e-5, weights of the last epoch or averaged over the later half):
 * they moved dev detection by a few samples at most. Deterministic: the same corpus gives the same bytes, which
 * {@code InjectionClassifierTest} checks against
 * the shipped {@code guard/classifier.bin.gz}.
 *
 * <pre>
 * ./mvnw test-compile &amp;&amp; java -cp target/classes:target/test-classes org.acme.mcp.guard.InjectionClassifierTraining
 * </pre>
 *
 * (from the project directory; it writes {@code src/main/resources/guard/classifier.bin.gz}), or run {@link #main} from
 * an IDE.
 */
public final class InjectionClassifierTraining {

    static final int EPOCHS = 30;
    static final double RATE = 0.5;
    static final double L2 = 1e-6;
    static final long SEED = 20261207L;
    /** Benign dev texts of one language the threshold may flag (1 of 60). */
    static final int MAX_DEV_FALSE_POSITIVES_PER_LANGUAGE = 1;

    private InjectionClassifierTraining() {
    }

    public static void main(String[] args) throws IOException {
        InjectionClassifier model = train();
        Path target = Path.of("src/main/resources", InjectionClassifier.RESOURCE);
        Files.write(target, model.serialise());
        System.out.printf("threshold %.4f, written to %s%n", model.threshold, target);
    }

    record Example(String folded, boolean attack) {
    }

    static List<Example> examples(String split) throws IOException {
        List<Example> out = new ArrayList<>();
        for (String language : InjectionPatterns.LANGUAGES) {
            List<InjectionCorpusTest.Sample> samples = new ArrayList<>(InjectionCorpusTest.read(split, language));
            if (split.equals("train")) {
                samples.addAll(InjectionCorpusTest.read(split, language + "-2")); // written apart, by other hands
                samples.addAll(InjectionCorpusTest.read(split, language + "-3")); // notifications and code
            }
            for (InjectionCorpusTest.Sample s : samples) {
                out.add(new Example(TextFolding.fold(s.text()), s.attack()));
            }
        }
        return out;
    }

    static InjectionClassifier train() throws IOException {
        List<Example> train = examples("train");
        float[] w = new float[InjectionClassifier.DIM];
        float[] g2 = new float[InjectionClassifier.DIM]; // AdaGrad: squared gradients per weight
        double bias = 0;
        double biasG2 = 0;
        double[] sum = new double[InjectionClassifier.DIM];
        double biasSum = 0;
        int averaged = 0;
        Random random = new Random(SEED);
        List<Example> order = new ArrayList<>(train);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            Collections.shuffle(order, random);
            for (Example e : order) {
                List<int[]> feats = new ArrayList<>();
                int n = InjectionClassifier.features(e.folded(), 0, e.folded().length(),
                        (index, sign) -> feats.add(new int[] { index, (int) sign }));
                if (n == 0) {
                    continue;
                }
                double norm = Math.sqrt(n);
                double z = bias;
                for (int[] f : feats) {
                    z += f[1] * w[f[0]] / norm;
                }
                double p = 1 / (1 + Math.exp(-z));
                double grad = p - (e.attack() ? 1 : 0);
                for (int[] f : feats) {
                    double g = grad * f[1] / norm + L2 * w[f[0]];
                    g2[f[0]] += (float) (g * g);
                    w[f[0]] -= (float) (RATE * g / Math.sqrt(g2[f[0]] + 1e-8));
                }
                biasG2 += grad * grad;
                bias -= RATE * grad / Math.sqrt(biasG2 + 1e-8);
            }
            if (epoch >= EPOCHS / 2) { // the mean of the later epochs' weights: steadier than the last epoch's
                for (int i = 0; i < w.length; i++) {
                    sum[i] += w[i];
                }
                biasSum += bias;
                averaged++;
            }
        }
        float[] mean = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            mean[i] = (float) (sum[i] / averaged);
        }
        float meanBias = (float) (biasSum / averaged);
        InjectionClassifier unthresholded = new InjectionClassifier(mean, meanBias, 1f);
        return new InjectionClassifier(mean, meanBias, threshold(unthresholded));
    }

    /**
     * The lowest threshold that flags at most {@link #MAX_DEV_FALSE_POSITIVES_PER_LANGUAGE} of each language's benign
     * dev texts (a cap per language: one language's false alarms must not use up another's share).
     */
    private static float threshold(InjectionClassifier model) throws IOException {
        double threshold = 0.5;
        for (String language : InjectionPatterns.LANGUAGES) {
            List<Double> benign = new ArrayList<>();
            for (InjectionCorpusTest.Sample s : InjectionCorpusTest.read("dev", language)) {
                if (!s.attack()) {
                    benign.add(model.score(TextFolding.fold(s.text())));
                }
            }
            benign.sort(Collections.reverseOrder());
            // the highest benign score that must stay below the threshold
            threshold = Math.max(threshold, benign.get(MAX_DEV_FALSE_POSITIVES_PER_LANGUAGE));
        }
        return Math.nextUp((float) threshold); // the float next above, so that it stays unflagged
    }
}
