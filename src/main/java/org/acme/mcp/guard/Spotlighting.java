package org.acme.mcp.guard;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.quarkiverse.mcp.server.Content;
import io.quarkiverse.mcp.server.MetaKey;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;

/**
 * Keeps untrusted tool results apart from instructions (Microsoft's "spotlighting": delimiting plus datamarking).
 * Each text becomes
 *
 * <pre>
 * &lt;untrusted-content boundary="3f9c…" datamark="ˆ"&gt;
 * theˆtextˆwithˆitsˆspacesˆmarked
 * &lt;/untrusted-content boundary="3f9c…"&gt;
 * </pre>
 *
 * <ul>
 * <li>the boundary is 128 random bits drawn after the tool returned, per call: the content cannot know it, so it cannot
 * close the block early; a client trusts only the end tag carrying the same id;</li>
 * <li>datamarking: every space becomes {@link #MARKER}, so that an instruction inside reads as marked data; a
 * {@code ˆ} already in the content is escaped ({@code \u02C6}), so a client gets the text back by turning markers
 * into spaces;</li>
 * <li>invisible, bidi, tag and control characters are replaced by visible escapes ({@link InvisibleCharacters});</li>
 * <li>{@code _meta} says so: {@code org.acme.guard/untrusted: true} and {@code org.acme.guard/boundary} on each text
 * content and on the result.</li>
 * </ul>
 * A {@code String} result is wrapped too but has no {@code _meta} (the extension turns it into a content of its own);
 * structured content of a {@code ToolResponse} keeps its shape, with invisible characters escaped in every string;
 * images, audio and resources pass unchanged.
 */
@Singleton
public class Spotlighting {

    public static final char MARKER = '\u02C6';
    public static final MetaKey UNTRUSTED = MetaKey.of("untrusted", "org", "acme", "guard");
    public static final MetaKey BOUNDARY = MetaKey.of("boundary", "org", "acme", "guard");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecureRandom random = new SecureRandom();
    private final boolean datamarking;

    @Inject
    Spotlighting(GuardConfig config) {
        this(config.output().datamarking());
    }

    public Spotlighting(boolean datamarking) {
        this.datamarking = datamarking;
    }

    /** Whether {@link #mark} can handle results of this declared type (after unwrapping Uni/CompletionStage). */
    public static boolean supports(Class<?> type) {
        return type == String.class || Content.class.isAssignableFrom(type) || type == ToolResponse.class
                || List.class.isAssignableFrom(type) || type == Object.class;
    }

    /** The result, marked; an unsupported value is refused rather than returned unmarked. */
    public Object mark(Object result) {
        if (result == null) {
            return null;
        }
        String boundary = boundary();
        if (result instanceof String s) {
            return wrap(s, boundary);
        }
        if (result instanceof Content c) {
            return content(c, boundary);
        }
        if (result instanceof ToolResponse r) {
            return response(r, boundary);
        }
        if (result instanceof List<?> list) {
            List<Object> marked = new ArrayList<>(list.size());
            for (Object item : list) {
                marked.add(item instanceof String s ? wrap(s, boundary) : content((Content) item, boundary));
            }
            return marked;
        }
        throw new IllegalStateException("untrusted output of type " + result.getClass().getName() + " cannot be marked");
    }

    /** Every space character (any width, no-break ones included) and tab becomes the marker; line breaks stay. */
    private static String datamark(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars()
                .forEach(c -> out.append(c == '\t' || Character.getType(c) == Character.SPACE_SEPARATOR ? MARKER : (char) c));
        return out.toString();
    }

    /** The delimited, marked and neutralised form of one text. */
    public String wrap(String text, String boundary) {
        String body = InvisibleCharacters.neutralise(text);
        if (datamarking) {
            body = datamark(body.replace(String.valueOf(MARKER), "\\u02C6"));
        }
        return "<untrusted-content boundary=\"" + boundary + "\"" + (datamarking ? " datamark=\"" + MARKER + "\"" : "")
                + ">\n" + body + (body.endsWith("\n") ? "" : "\n") + "</untrusted-content boundary=\"" + boundary + "\">";
    }

    String boundary() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private Content content(Content content, String boundary) {
        if (content instanceof TextContent t) {
            return new TextContent(wrap(t.text(), boundary), meta(t._meta(), boundary), t.annotations());
        }
        return content; // binary and resource content: not text a model reads inline
    }

    private ToolResponse response(ToolResponse response, String boundary) {
        List<Content> content = null;
        if (response.content() != null) {
            content = new ArrayList<>();
            for (Content c : response.content()) {
                content.add(content(c, boundary));
            }
        }
        Object structured = response.structuredContent() == null ? null
                : neutralise(JSON.valueToTree(response.structuredContent()));
        return new ToolResponse(response.isError(), content, structured, meta(response._meta(), boundary));
    }

    private static Map<MetaKey, Object> meta(Map<MetaKey, Object> existing, String boundary) {
        Map<MetaKey, Object> meta = existing == null ? new HashMap<>() : new HashMap<>(existing);
        meta.put(UNTRUSTED, true);
        meta.put(BOUNDARY, boundary);
        return meta;
    }

    /** Escapes invisible characters in every string and key of a JSON tree; its shape stays. */
    static JsonNode neutralise(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(InvisibleCharacters.neutralise(node.textValue()));
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(item -> out.add(neutralise(item)));
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(InvisibleCharacters.neutralise(e.getKey()), neutralise(e.getValue()));
            }
            return out;
        }
        return node;
    }
}
