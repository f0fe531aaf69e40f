package org.acme.mcp.guard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The words of each {@link Concept}, per language, in a trie over the folded letters {@code a-z}: looking a word up
 * costs one array step per letter, and most words leave the trie after a letter or two.
 * <p>
 * Read from {@code guard/phrases/<lang>.txt} and {@code guard/phrases/common.txt} (words of every language: http,
 * ssh, ...). A line is {@code concept: word word stem* *head ...}: a word matches itself, a stem ending in {@code *} any
 * word that starts with it, and a head starting with {@code *} any word that ends with it (compounds:
 * {@code *filter} matches {@code Inhaltsfilter}). Words are folded like the text ({@link TextFolding}), so accents and case do
 * not matter; a
 * German word with ä, ö or ü also matches its spelling with ae, oe, ue. A missing file, an unknown concept or a word
 * that does not fold to {@code a-z} stops start-up: a guard with a broken word list must not run silently weaker.
 */
final class PhraseLexicon {

    static final String RESOURCES = "guard/phrases/";
    /** Letters past a stem that a run of joined words may give it ({@code ignor|e} in {@code ignoreallrules}). */
    private static final int STEM_ENDING = 3;
    /** Shorter parts are not looked for in a run of joined words: "a", "de", "en" would cover any word. */
    private static final int MIN_PART = 3;
    /** Heads ({@code *regeln}) are looked for in words this long or longer: compounds. */
    private static final int MIN_HEAD_WORD = 5;

    private final List<String> languages;
    private final int langs;
    /** node * 26 + letter: the child, or 0 (the root is no one's child). */
    private int[] children = new int[26 * 256];
    /** node * langs + language: concepts of the word ending at the node. */
    private long[] exact;
    /** node * langs + language: concepts of every word starting with the node's letters. */
    private long[] stem;
    private boolean[] hasStem = new boolean[256];
    /** Per node: some list has the word ending here; and with a concept besides filler. */
    private boolean[] hasExact = new boolean[256];
    private boolean[] meaningfulExact = new boolean[256];
    private int nodes = 1;
    /** The heads ({@code *filter}), spelt backwards: the same layout as above. */
    private int[] headChildren = new int[26 * 64];
    private long[] head;
    private boolean[] headEnds = new boolean[64];
    private int headNodes = 1;

    private PhraseLexicon(List<String> languages) {
        this.languages = List.copyOf(languages);
        this.langs = languages.size();
        this.exact = new long[256 * langs];
        this.stem = new long[256 * langs];
        this.head = new long[64 * langs];
    }

    /** The word lists of these languages, in this order (the first language that matches names a finding). */
    static PhraseLexicon load(List<String> languages) {
        if (languages.isEmpty() || languages.size() > 16) {
            throw new IllegalStateException("mcp.guard.local.languages: name 1 to 16 languages, got " + languages);
        }
        PhraseLexicon lexicon = new PhraseLexicon(languages);
        long all = (1L << languages.size()) - 1;
        lexicon.read("common", all);
        for (int i = 0; i < languages.size(); i++) {
            lexicon.read(languages.get(i), 1L << i);
        }
        lexicon.compact();
        return lexicon;
    }

    /**
     * Children lists as a 26-bit mask and the index of the first child (children stored in breadth-first order): a
     * few hundred kilobytes instead of 26 ints per node, so that a text's lookups stay in the CPU's caches.
     */
    private int[] childMask;
    private int[] childBase;
    private int[] headMask;
    private int[] headBase;

    private void compact() {
        int[] order = breadthFirst(children, nodes);
        childMask = new int[nodes];
        childBase = new int[nodes];
        int[] newId = links(children, order, childMask, childBase);
        exact = permute(exact, newId, langs);
        stem = permute(stem, newId, langs);
        hasStem = permute(hasStem, newId);
        hasExact = permute(hasExact, newId);
        meaningfulExact = permute(meaningfulExact, newId);
        int[] headOrder = breadthFirst(headChildren, headNodes);
        headMask = new int[headNodes];
        headBase = new int[headNodes];
        int[] newHeadId = links(headChildren, headOrder, headMask, headBase);
        head = permute(head, newHeadId, langs);
        headEnds = permute(headEnds, newHeadId);
        children = null;
        headChildren = null;
    }

    private static int[] breadthFirst(int[] children, int count) {
        int[] order = new int[count];
        int filled = 1;
        for (int k = 0; k < filled; k++) {
            for (int c = 0; c < 26; c++) {
                int child = children[order[k] * 26 + c];
                if (child != 0) {
                    order[filled++] = child;
                }
            }
        }
        return order;
    }

    /** Fills masks and bases in breadth-first numbering; returns old node number to new. */
    private static int[] links(int[] children, int[] order, int[] mask, int[] base) {
        int[] newId = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            newId[order[k]] = k;
        }
        int next = 1;
        for (int k = 0; k < order.length; k++) {
            base[k] = next;
            for (int c = 0; c < 26; c++) {
                if (children[order[k] * 26 + c] != 0) {
                    mask[k] |= 1 << c;
                    next++;
                }
            }
        }
        return newId;
    }

    private static long[] permute(long[] values, int[] newId, int width) {
        long[] out = new long[newId.length * width];
        for (int old = 0; old < newId.length; old++) {
            System.arraycopy(values, old * width, out, newId[old] * width, width);
        }
        return out;
    }

    private static boolean[] permute(boolean[] values, int[] newId) {
        boolean[] out = new boolean[newId.length];
        for (int old = 0; old < newId.length; old++) {
            out[newId[old]] = values[old];
        }
        return out;
    }

    /** The child of {@code node} by letter {@code c} (0-25; anything else has none), or 0. */
    private static int child(int[] mask, int[] base, int node, int c) {
        if (c < 0 || c >= 26) {
            return 0;
        }
        int m = mask[node];
        return (m & (1 << c)) == 0 ? 0 : base[node] + Integer.bitCount(m & ((1 << c) - 1));
    }

    List<String> languages() {
        return languages;
    }

    int languageCount() {
        return langs;
    }

    private void read(String file, long languageBits) {
        String resource = RESOURCES + file + ".txt";
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource);
        in = in != null ? in : PhraseLexicon.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("No phrase list for language '" + file + "' (" + resource
                    + "): check mcp.guard.local.languages");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int colon = trimmed.indexOf(':');
                Concept concept = colon < 0 ? null : concept(trimmed.substring(0, colon).strip());
                if (concept == null) {
                    throw new IllegalStateException(resource + ":" + number + ": expected 'concept: words', got " + line);
                }
                java.util.StringTokenizer words = new java.util.StringTokenizer(trimmed.substring(colon + 1));
                while (words.hasMoreTokens()) {
                    add(words.nextToken(), concept, languageBits, resource, number);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + resource, e);
        }
    }

    /** The concepts by their names in the files; {@link Concept#COLON} is the scanner's, not a list's. */
    private static final java.util.Map<String, Concept> BY_NAME = java.util.Arrays.stream(Concept.values())
            .filter(c -> c != Concept.COLON).collect(java.util.stream.Collectors.toMap(Concept::fileName, c -> c));

    private static Concept concept(String name) {
        return BY_NAME.get(name);
    }

    private void add(String word, Concept concept, long languageBits, String resource, int line) {
        String where = resource + ":" + line;
        addSpelling(word, concept, languageBits, where);
        String lower = word.toLowerCase(Locale.ROOT);
        if (lower.indexOf('ä') >= 0 || lower.indexOf('ö') >= 0 || lower.indexOf('ü') >= 0) {
            addSpelling(lower.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"), concept, languageBits, where);
        }
    }

    private void addSpelling(String word, Concept concept, long languageBits, String where) {
        if (word.startsWith("*")) {
            String folded = TextFolding.foldWord(word.substring(1));
            check(folded, where);
            insertHead(new StringBuilder(folded).reverse().toString(), concept, languageBits);
            return;
        }
        boolean isStem = word.endsWith("*");
        String body = isStem ? word.substring(0, word.length() - 1) : word;
        insert(TextFolding.foldWord(body), isStem, concept, languageBits, where);
    }

    private static void check(String folded, String where) {
        boolean letters = !folded.isEmpty();
        for (int i = 0; i < folded.length(); i++) {
            letters &= folded.charAt(i) >= 'a' && folded.charAt(i) <= 'z';
        }
        if (!letters) {
            throw new IllegalStateException(where + ": '" + folded + "' is not a word of the letters a-z once folded");
        }
    }

    private void insertHead(String reversed, Concept concept, long languageBits) {
        int node = 0;
        for (int i = 0; i < reversed.length(); i++) {
            int slot = node * 26 + reversed.charAt(i) - 'a';
            if (headChildren[slot] == 0) {
                if (headNodes == headEnds.length) {
                    headChildren = Arrays.copyOf(headChildren, headChildren.length * 2);
                    head = Arrays.copyOf(head, head.length * 2);
                    headEnds = Arrays.copyOf(headEnds, headEnds.length * 2);
                }
                headChildren[slot] = headNodes++;
            }
            node = headChildren[slot];
        }
        headEnds[node] = true;
        for (int l = 0; l < langs; l++) {
            if ((languageBits & (1L << l)) != 0) {
                head[node * langs + l] |= concept.bit;
            }
        }
    }

    private void insert(String folded, boolean isStem, Concept concept, long languageBits, String where) {
        check(folded, where);
        int node = 0;
        for (int i = 0; i < folded.length(); i++) {
            int slot = node * 26 + folded.charAt(i) - 'a';
            if (children[slot] == 0) {
                int child = newNode(); // may grow the arrays: read them only after
                children[slot] = child;
            }
            node = children[slot];
        }
        long[] target = isStem ? stem : exact;
        hasStem[node] |= isStem;
        hasExact[node] |= !isStem;
        meaningfulExact[node] |= !isStem && concept != Concept.FILLER;
        for (int l = 0; l < langs; l++) {
            if ((languageBits & (1L << l)) != 0) {
                target[node * langs + l] |= concept.bit;
            }
        }
    }

    private int newNode() {
        if (nodes == hasStem.length) {
            children = Arrays.copyOf(children, children.length * 2);
            exact = Arrays.copyOf(exact, exact.length * 2);
            stem = Arrays.copyOf(stem, stem.length * 2);
            hasStem = Arrays.copyOf(hasStem, hasStem.length * 2);
            hasExact = Arrays.copyOf(hasExact, hasExact.length * 2);
            meaningfulExact = Arrays.copyOf(meaningfulExact, meaningfulExact.length * 2);
        }
        return nodes++;
    }

    /** {@link #lookup} found the word itself in a list (filler included). */
    static final int LISTED = 1;
    /** {@link #lookup} found concepts other than filler, now in {@code into}. */
    static final int MEANINGFUL = 2;

    /**
     * The concepts of the word {@code s[start, end)} per language, written to {@code into} (length
     * {@link #languageCount()}) when it carries any besides {@link Concept#FILLER}; {@code into} is left alone
     * otherwise, which is most words of a text: they leave the trie after a letter or two. Returns {@link #LISTED} and
     * {@link #MEANINGFUL} bits.
     */
    int lookup(char[] s, int start, int end, long[] into) {
        int node = 0;
        int stems = 0; // the stems along the word, at most two kept (a longer chain is not in any list)
        int stem1 = 0;
        int stem2 = 0;
        for (int i = start; i < end && node >= 0; i++) {
            int c = s[i] - 'a';
            node = child(childMask, childBase, node, c);
            node = node == 0 ? -1 : node;
            if (node > 0 && hasStem[node]) {
                stem2 = stem1;
                stem1 = node;
                stems++;
            }
        }
        int head = end - start >= MIN_HEAD_WORD ? headNode(s, start, end) : 0;
        boolean listed = node > 0 && hasExact[node];
        boolean meaningful = (node > 0 && meaningfulExact[node]) || stems > 0 || head > 0;
        if (!meaningful) {
            return listed ? LISTED : 0;
        }
        java.util.Arrays.fill(into, 0);
        if (node > 0) {
            or(exact, node, into);
        }
        if (stem1 > 0) {
            or(stem, stem1, into);
        }
        if (stem2 > 0) {
            or(stem, stem2, into);
        }
        if (head > 0) {
            orHeads(s, start, end, into);
        }
        return (listed ? LISTED : 0) | MEANINGFUL;
    }

    /** The languages (bit per language) whose lists have the word itself, filler included. */
    long languagesListing(char[] s, int start, int end) {
        int node = 0;
        for (int i = start; i < end; i++) {
            int c = s[i] - 'a';
            if ((node = child(childMask, childBase, node, c)) == 0) {
                return 0;
            }
        }
        long languages = 0;
        for (int l = 0; l < langs; l++) {
            languages |= exact[node * langs + l] != 0 ? 1L << l : 0;
        }
        return languages;
    }

    /** Whether the word ends with a head ({@code *filter}): the deepest head node, or 0. */
    private int headNode(char[] s, int start, int end) {
        int node = 0;
        int found = 0;
        for (int i = end - 1; i >= start; i--) {
            int c = s[i] - 'a';
            if ((node = child(headMask, headBase, node, c)) == 0) {
                return found;
            }
            found = headEnds[node] ? node : found;
        }
        return found;
    }

    /** The concepts of every head the word ends with. */
    private void orHeads(char[] s, int start, int end, long[] into) {
        int node = 0;
        for (int i = end - 1; i >= start; i--) {
            int c = s[i] - 'a';
            if ((node = child(headMask, headBase, node, c)) == 0) {
                return;
            }
            for (int l = 0; l < langs; l++) {
                into[l] |= head[node * langs + l];
            }
        }
    }

    /**
     * A word no list has as a whole, read as listed words written together ({@code ignoreallpreviousrules},
     * {@code systemanweisungen}): the concepts of each part, in order, when the parts cover the whole word; else
     * nothing; also nothing when only one part carries a concept (an inflected word, not a compound). Each part is
     * {@code langs} masks in the result.
     */
    List<long[]> split(char[] s, int start, int end) {
        if (!startsWithPart(s, start, end)) {
            return List.of(); // most long words: no listed word of MIN_PART letters or more begins them
        }
        int n = end - start;
        int[] from = new int[n + 1];
        int[] node = new int[n + 1];
        boolean[] viaStem = new boolean[n + 1];
        Arrays.fill(from, -1);
        from[0] = 0;
        for (int k = 0; k < n && from[n] < 0; k++) {
            if (from[k] < 0) {
                continue;
            }
            int at = 0;
            for (int e = k; e < n; e++) {
                int c = s[start + e] - 'a';
                if ((at = child(childMask, childBase, at, c)) == 0) {
                    break;
                }
                if (e + 1 - k < MIN_PART) {
                    continue;
                }
                if ((from[e + 1] < 0 || viaStem[e + 1]) && hasAny(exact, at)) {
                    from[e + 1] = k; // a listed word beats a stem with an ending ("ignore" over "ignor*" + "e")
                    node[e + 1] = at;
                    viaStem[e + 1] = false;
                }
                for (int x = 1; hasStem[at] && x <= STEM_ENDING + 1 && e + x <= n; x++) {
                    if (from[e + x] < 0) {
                        from[e + x] = k;
                        node[e + x] = at;
                        viaStem[e + x] = true;
                    }
                }
            }
        }
        if (from[n] < 0 || from[n] == 0) {
            return List.of(); // not covered, or one part only (then it is a word, looked up already)
        }
        List<long[]> parts = new ArrayList<>();
        int meaningful = 0;
        for (int e = n; e > 0; e = from[e]) {
            long[] masks = new long[langs];
            or(viaStem[e] ? stem : exact, node[e], masks);
            parts.add(0, masks);
            meaningful += carriesConcept(masks) ? 1 : 0;
        }
        // one concept word and filler is an inflection ("apaga|das"), not words written together
        return meaningful >= 2 ? parts : List.of();
    }

    private boolean startsWithPart(char[] s, int start, int end) {
        int node = 0;
        for (int i = start; i < end; i++) {
            int c = s[i] - 'a';
            if ((node = child(childMask, childBase, node, c)) == 0) {
                return false;
            }
            if (i + 1 - start >= MIN_PART && (hasExact[node] || hasStem[node])) {
                return true;
            }
        }
        return false;
    }

    private static boolean carriesConcept(long[] masks) {
        for (long m : masks) {
            if ((m & ~Concept.FILLER.bit) != 0) {
                return true;
            }
        }
        return false;
    }

    private void or(long[] table, int node, long[] into) {
        for (int l = 0; l < langs; l++) {
            into[l] |= table[node * langs + l];
        }
    }

    private boolean hasAny(long[] table, int node) {
        for (int l = 0; l < langs; l++) {
            if (table[node * langs + l] != 0) {
                return true;
            }
        }
        return false;
    }
}
