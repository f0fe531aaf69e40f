package org.acme.mcp.guard;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The default guard: no network, tens of microseconds for kilobytes of text. Reports
 * <ul>
 * <li>{@link InjectionPatterns} phrase rules in each configured language ({@code instruction-override/de},
 * {@code role-reassignment/fr}, ...) and, for texts they do not match, the {@link InjectionClassifier}
 * ({@code classifier/es});</li>
 * <li>{@link InvisibleCharacters} ({@code invisible-characters}, {@code bidi-controls}, {@code unicode-tags},
 * {@code control-characters}), and phrases spelt in tag characters;</li>
 * <li>base64 (standard or URL-safe, 24+ characters) and hex (32+ digits) runs that decode to UTF-8 text containing
 * those phrases ({@code encoded-instructions}), and any base64-looking run of {@code max-encoded-run} characters or
 * more ({@code encoded-blob});</li>
 * <li>arguments above {@code max-argument-chars} in total ({@code too-large}; nothing else is inspected then, which
 * bounds the cost).</li>
 * </ul>
 */
@Singleton
public class LocalInjectionDetector implements InputGuard {

    private static final InjectionPatterns.Finding ENCODED_BLOB = new InjectionPatterns.Finding("encoded-blob", null);
    private static final InjectionPatterns.Finding ENCODED_INSTRUCTIONS = new InjectionPatterns.Finding(
            "encoded-instructions", null);
    private static final int MIN_BASE64_RUN = 24;
    private static final int MIN_HEX_BYTES = 16;
    private static final Pattern HEX_RUN = Pattern.compile("(?:[0-9a-fA-F]{2}){" + MIN_HEX_BYTES + ",}");
    /** Decoded bytes inspected per run: an override phrase is short, a huge blob is reported by size instead. */
    private static final int MAX_DECODED = 16_384;
    /** Standard and URL-safe base64 letters, by ASCII code. */
    private static final boolean[] BASE64_CHARS = new boolean[128];

    static {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";
        alphabet.chars().forEach(c -> BASE64_CHARS[c] = true);
    }

    private final boolean enabled;
    private final int maxArgumentChars;
    private final int maxEncodedRun;
    private final InjectionPatterns phrases;

    @Inject
    LocalInjectionDetector(GuardConfig config) {
        this(config.local().enabled(), config.local().maxArgumentChars(), config.local().maxEncodedRun(),
                config.local().languages(), config.local().classifier());
    }

    /** For tests and use outside CDI: the phrase rules of every shipped language, without the classifier. */
    public LocalInjectionDetector(boolean enabled, int maxArgumentChars, int maxEncodedRun) {
        this(enabled, maxArgumentChars, maxEncodedRun, InjectionPatterns.LANGUAGES, false);
    }

    /** With the phrase rules of these languages, and the classifier when {@code classifier} (as shipped). */
    public LocalInjectionDetector(boolean enabled, int maxArgumentChars, int maxEncodedRun, List<String> languages,
            boolean classifier) {
        this.enabled = enabled;
        this.maxArgumentChars = maxArgumentChars;
        this.maxEncodedRun = maxEncodedRun;
        // a missing word list or model stops start-up here
        this.phrases = InjectionPatterns.forLanguages(languages, classifier);
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public int order() {
        return 0;
    }

    @Override
    public GuardVerdict inspect(ToolArguments arguments) {
        if (arguments.totalChars() > maxArgumentChars) {
            return GuardVerdict.detected(List.of("too-large"));
        }
        Set<InjectionPatterns.Finding> findings = new TreeSet<>();
        for (ToolArguments.Text text : arguments.texts()) {
            inspect(text.value(), findings);
        }
        if (findings.isEmpty()) {
            return GuardVerdict.CLEAN;
        }
        Set<String> reasons = new TreeSet<>();
        findings.forEach(f -> reasons.add(f.family()));
        return GuardVerdict.detected(new ArrayList<>(reasons), findings.stream().map(Object::toString).toList());
    }

    /** Adds what one text holds: rule families, with the language of a phrase rule ({@code system-prompt/de}). */
    public void inspect(String text, Set<InjectionPatterns.Finding> findings) {
        InvisibleCharacters.Scan scan = InvisibleCharacters.scan(text);
        scan.kinds().forEach(k -> findings.add(new InjectionPatterns.Finding(k.reason, null)));
        phrases.find(text, findings);
        if (!scan.tagText().isEmpty()) {
            phrases.find(scan.tagText(), findings);
        }
        encoded(text, findings);
    }

    /**
     * Runs of the base64 alphabet of 24+ characters (with up to two {@code =}), found by a loop: ordinary prose has
     * none, so the regexes run only on candidate runs. Hex runs lie inside such runs (hex digits are base64 letters).
     */
    private void encoded(String text, Set<InjectionPatterns.Finding> reasons) {
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            // a table and a conditional count rather than branches: prose switches between words and spaces every
            // few characters, which a branch per character predicts badly
            run = isBase64Char(text.charAt(i)) ? run + 1 : 0;
            if (run == MIN_BASE64_RUN) {
                int start = i + 1 - MIN_BASE64_RUN;
                int end = i + 1;
                while (end < text.length() && isBase64Char(text.charAt(end))) {
                    end++;
                }
                int padded = end;
                while (padded < text.length() && padded - end < 2 && text.charAt(padded) == '=') {
                    padded++;
                }
                encodedRun(text.substring(start, padded), reasons);
                run = 0;
                i = end - 1; // the next character ends the run (or is its padding)
            }
        }
    }

    private void encodedRun(String run, Set<InjectionPatterns.Finding> reasons) {
        if (run.length() >= maxEncodedRun && looksEncoded(run)) {
            reasons.add(ENCODED_BLOB);
        }
        String decoded = decodeBase64(run);
        if (decoded != null && hasPhrases(decoded)) {
            reasons.add(ENCODED_INSTRUCTIONS);
        }
        if (run.length() >= 2 * MIN_HEX_BYTES) {
            Matcher hex = HEX_RUN.matcher(run);
            while (hex.find()) {
                String digits = hex.group();
                String text = utf8(HexFormat.of().parseHex(digits, 0, Math.min(digits.length(), 2 * MAX_DECODED)));
                if (text != null && hasPhrases(text)) {
                    reasons.add(ENCODED_INSTRUCTIONS);
                }
            }
        }
    }

    private boolean hasPhrases(String decoded) {
        Set<InjectionPatterns.Finding> found = new TreeSet<>();
        phrases.find(decoded, found);
        return !found.isEmpty();
    }

    private static boolean isBase64Char(char c) {
        return c < 128 && BASE64_CHARS[c];
    }

    /** Mixed case and a digit or symbol: base64 of data, not a long word or a row of one letter. */
    private static boolean looksEncoded(String run) {
        boolean upper = false;
        boolean lower = false;
        boolean other = false;
        for (int i = 0; i < run.length(); i++) {
            char c = run.charAt(i);
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            other |= (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '-' || c == '_';
        }
        return upper && lower && other;
    }

    private static String decodeBase64(String run) {
        String body = run.length() > MAX_DECODED * 4 / 3 ? run.substring(0, MAX_DECODED * 4 / 3 / 4 * 4) : run;
        String unpadded = body.replace("=", "");
        // a length of 4n+1 cannot be base64: drop the odd character (it belongs to the surrounding text)
        String trimmed = unpadded.length() % 4 == 1 ? unpadded.substring(0, unpadded.length() - 1) : unpadded;
        try {
            boolean urlSafe = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0;
            byte[] bytes = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(pad(trimmed));
            return utf8(bytes);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String pad(String s) {
        return s.length() % 4 == 0 ? s : s + "=".repeat(4 - s.length() % 4);
    }

    /** The bytes as text when they are valid UTF-8 and mostly printable; null for binary. */
    private static String utf8(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            long printable = s.codePoints().filter(cp -> !Character.isISOControl(cp) || Character.isWhitespace(cp)).count();
            return printable >= s.codePointCount(0, s.length()) * 0.9 ? s : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
