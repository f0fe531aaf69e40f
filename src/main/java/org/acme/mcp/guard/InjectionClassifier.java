package org.acme.mcp.guard;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The optional statistical layer of the local detector: a logistic regression over hashed character 4-grams and word
 * uni- and bigrams of the {@link TextFolding folded} text, trained in this repository on the corpus's {@code train}
 * split ({@code InjectionClassifierTraining} in the tests rebuilds {@code guard/classifier.bin.gz} bit for bit). No
 * network, no weights downloaded: 2^17 floats, about 250 KiB compressed in the jar.
 * <p>
 * A text is scored sentence by sentence (sentences under {@value #MIN_CHUNK} characters joined to the next, none over
 * {@value #CHUNK}), and its score is the highest sentence's, so one injected sentence in a long document is not diluted
 * by the rest. Cost: one hash and one array read
 * per character and per word.
 */
final class InjectionClassifier {

    static final String RESOURCE = "guard/classifier.bin.gz";
    static final int DIM = 1 << 17;
    static final int CHUNK = 320;
    /**
     * Sentences of fewer words are not scored: a word or two (a member name such as {@code text}, a zone, a file name)
     * says nothing about intent, and the phrase rules look at them anyway.
     */
    static final int MIN_WORDS = 4;
    /** A chunk is a sentence at least this long (short ones are joined to the next): one sentence can carry an attack. */
    static final int MIN_CHUNK = 80;
    private static final int MAGIC = 0x4d435043; // "MCPC"

    final float[] weights;
    final float bias;
    /** Scores at or above it are detections; chosen on the dev split (see the training). */
    final float threshold;

    InjectionClassifier(float[] weights, float bias, float threshold) {
        this.weights = weights;
        this.bias = bias;
        this.threshold = threshold;
    }

    static InjectionClassifier load() {
        InputStream in = InjectionClassifier.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("The injection classifier's weights are missing (" + RESOURCE + ")");
        }
        try (DataInputStream data = new DataInputStream(new GZIPInputStream(in))) {
            if (data.readInt() != MAGIC || data.readInt() != DIM) {
                throw new IllegalStateException(RESOURCE + " is not a classifier of this version");
            }
            float bias = data.readFloat();
            float threshold = data.readFloat();
            float[] weights = new float[DIM];
            for (int i = 0; i < DIM; i++) {
                weights[i] = data.readFloat();
            }
            return new InjectionClassifier(weights, bias, threshold);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
    }

    byte[] serialise() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(DIM);
            out.writeFloat(bias);
            out.writeFloat(threshold);
            for (float w : weights) {
                out.writeFloat(w);
            }
        }
        return bytes.toByteArray();
    }

    /** Whether a folded text scores at or above the threshold. */
    boolean detects(String folded) {
        return score(folded) >= threshold;
    }

    /** The highest chunk score of a folded text, as a probability. */
    double score(String folded) {
        double best = 0;
        int start = 0;
        int n = folded.length();
        while (start < n) {
            int end = chunkEnd(folded, start);
            best = Math.max(best, scoreRange(folded, start, end));
            start = end;
        }
        return best;
    }

    /** The end of the chunk from {@code start}: the first sentence end past {@link #MIN_CHUNK} characters, or CHUNK. */
    static int chunkEnd(String s, int start) {
        int limit = Math.min(s.length(), start + CHUNK);
        for (int i = start + MIN_CHUNK; i < limit; i++) {
            char c = s.charAt(i);
            if (c == '.' || c == '!' || c == '?' || c == '\n') {
                return i + 1;
            }
        }
        return limit;
    }

    double scoreRange(String s, int start, int end) {
        if (words(s, start, end) < MIN_WORDS) {
            return 0;
        }
        float[] sum = new float[1];
        int count = features(s, start, end, (index, sign) -> sum[0] += sign * weights[index]);
        double z = bias + sum[0] / Math.sqrt(count);
        return 1 / (1 + Math.exp(-z));
    }

    /** Words in {@code s[start, end)}. */
    static int words(String s, int start, int end) {
        int words = 0;
        boolean inWord = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            boolean letter = TextFolding.isLetter(c);
            words += letter && !inWord ? 1 : 0;
            inWord = letter;
        }
        return words;
    }

    interface FeatureSink {
        void accept(int index, float sign);
    }

    /**
     * The features of {@code s[start, end)}: character 4-grams of its letters with single spaces between words, and
     * its words and word pairs; each hashed (FNV-1a) to an index and a sign. Returns how many were emitted.
     */
    static int features(String s, int start, int end, FeatureSink sink) {
        int count = 0;
        long window = 0; // the last three characters, 16 bits each, for the 4-grams
        int seen = 0;
        int word = FNV;
        int previousWord = 0;
        boolean inWord = false;
        char last = ' ';
        for (int i = start; i <= end; i++) {
            char c = i < end ? s.charAt(i) : ' ';
            boolean letter = TextFolding.isLetter(c);
            char mapped = letter ? c : ' ';
            if (mapped == ' ' && last == ' ') {
                continue;
            }
            long gram = (window << 16) | mapped;
            if (++seen >= 4) {
                count += emit(mix((int) (gram ^ (gram >>> 32)) ^ 0x9E3779B9), sink);
            }
            window = gram & 0xFFFF_FFFF_FFFFL;
            if (letter) {
                word = (word ^ c) * 16777619;
                inWord = true;
            } else if (inWord) {
                count += emit(mix(word), sink);
                if (previousWord != 0) {
                    count += emit(mix(previousWord * 31 + word), sink);
                }
                previousWord = word;
                word = FNV;
                inWord = false;
            }
            last = mapped;
        }
        return count;
    }

    private static final int FNV = 0x811C9DC5;

    private static int emit(int hash, FeatureSink sink) {
        sink.accept(hash & (DIM - 1), hash < 0 ? -1f : 1f);
        return 1;
    }

    /** A finaliser (murmur3's) so that neighbouring inputs spread over all bits. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
