package org.acme.mcp.approval;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import jakarta.inject.Singleton;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.Template;
import io.quarkus.qute.ValueResolvers;
import io.quarkus.qute.Variant;

/**
 * Renders the approval page: the Qute template {@code approval/page.html}, every value HTML-escaped (arguments and
 * names come from the caller), with the texts of {@code approval/messages[_<lang>].properties}.
 */
@Singleton
class ApprovalPageRenderer {

    /** The languages the page speaks; the first is the default. */
    static final List<String> LANGUAGES = List.of("en", "de");

    /** What the page shows; {@code state} picks the form or the message. */
    record View(String id, String state, String user, String client, String tool, String arguments, String expiry,
            String csrf, String lang) {
    }

    private final Template page;
    private final Map<String, Properties> texts = new HashMap<>();

    ApprovalPageRenderer() {
        Engine engine = Engine.builder().addDefaults().addValueResolver(ValueResolvers.mapResolver())
                .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML))).build();
        this.page = engine.parse(read("approval/page.html"), Variant.forContentType(Variant.TEXT_HTML));
        for (String lang : LANGUAGES) {
            Properties properties = new Properties();
            String name = lang.equals(LANGUAGES.get(0)) ? "approval/messages.properties"
                    : "approval/messages_" + lang + ".properties";
            try (InputStream in = resource(name)) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            texts.put(lang, properties);
        }
    }

    String render(View view) {
        Properties text = texts.getOrDefault(view.lang(), texts.get(LANGUAGES.get(0)));
        Locale locale = Locale.forLanguageTag(view.lang());
        Map<String, String> msg = new HashMap<>();
        text.stringPropertyNames().forEach(key -> msg.put(key, text.getProperty(key)));
        msg.put("intro", new MessageFormat(text.getProperty("intro"), locale)
                .format(new Object[] { view.user(), view.client(), view.tool() }));
        msg.put("expires", new MessageFormat(text.getProperty("expires"), locale).format(new Object[] { view.expiry() }));
        msg.put("outcome", text.getProperty(view.state(), ""));
        return page.data("lang", view.lang()).data("msg", msg).data("state", view.state()).data("id", view.id())
                .data("arguments", view.arguments()).data("csrf", view.csrf()).render();
    }

    private static String read(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("Missing resource " + name);
        }
        return in;
    }
}
