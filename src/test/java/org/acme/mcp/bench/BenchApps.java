package org.acme.mcp.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.acme.mcp.pipeline.Pipeline;
import org.acme.mcp.support.MainClasses;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ExplodedExporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

import io.quarkus.bootstrap.app.AugmentResult;
import io.quarkus.bootstrap.app.CuratedApplication;
import io.quarkus.bootstrap.app.QuarkusBootstrap;
import io.quarkus.test.common.PathTestHelper;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;

/**
 * The benchmark's own applications, built here (test scope) from the product's sample tools on the bare extension
 * (quarkus-mcp-server-http): the security checks are not switched off in them, they are not there. Nothing in the
 * packaged jar can turn a check off.
 * <ul>
 * <li>{@link App#UNSECURED}, the baseline: the classes of {@code time-in-zone}, {@code text-stats} and
 * {@code sort-lines} (the product's own, unchanged) and what they need to run, the sandbox; no pipeline stage, no
 * tool-call interceptor (the policy annotations such as {@code @RequiresScopes} come along, but with no interceptor
 * class in the application their bindings are inert), no extension filter, no tracing hook, no audit (the
 * sandbox's {@code AuditLog} is {@link NoAudit}), no authentication ({@code quarkus.oidc.enabled=false}, no path
 * policy).</li>
 * <li>{@link App#AUTHENTICATION_ONLY}, for {@code bench.ablation}: the baseline plus the product's bearer
 * authentication, {@code McpBearerAuthenticationMechanism} with its pre-check, verified-token cache and revocation
 * check on quarkus-oidc, and the product's path policy (every path but the health probes needs a valid token).</li>
 * </ul>
 * The platform settings of the extension, the sandbox and telemetry are the product's ({@code quarkus.mcp.server.*},
 * {@code mcp.sandbox.*}, {@code quarkus.otel.*} of its {@code application.properties}); its security headers, body
 * limit and log redaction are not. Each application is built in this JVM as {@code QuarkusProdModeTest} builds its
 * own (QuarkusBootstrap in prod mode with the project's dependencies, the application root holding only the archive)
 * into {@code target/bench-apps/<name>/}, at most once per JVM, and checked before it is used: its application
 * classes must be exactly the archive's, none of them a pipeline stage, an interceptor, an extension filter, a
 * tracing hook, an identity augmentor or (but in {@code authentication-only}) an authentication mechanism, and no
 * application bean may be intercepted (no generated {@code _Subclass}).
 */
final class BenchApps {

    enum App {
        UNSECURED("unsecured"),
        AUTHENTICATION_ONLY("authentication-only");

        final String name;

        App(String name) {
            this.name = name;
        }
    }

    /** The sample tools, the policy annotations on them (inert here), what sort-lines needs: the sandbox. */
    static final List<String> TOOLS = List.of(
            "org.acme.mcp.tools.TimeTool", "org.acme.mcp.tools.TextStatsTool", "org.acme.mcp.tools.SortLinesTool",
            "org.acme.mcp.api.RequiresScopes", "org.acme.mcp.api.UntrustedOutput", "org.acme.mcp.api.ToolError",
            "org.acme.mcp.api.Sandbox", "org.acme.mcp.api.SandboxException", "org.acme.mcp.api.SandboxResult",
            "org.acme.mcp.api.Caller", "org.acme.mcp.pipeline.ToolCallPipeline",
            "org.acme.mcp.sandbox.SandboxExecutor", "org.acme.mcp.sandbox.SandboxBackend",
            "org.acme.mcp.sandbox.SandboxCommand", "org.acme.mcp.sandbox.SandboxConfig",
            // the sandbox's imports: the audit log's type (its bean is replaced by NoAudit) with its config and
            // helpers, and the caller attributes of its records
            "org.acme.mcp.audit.AuditLog", "org.acme.mcp.audit.AuditConfig", "org.acme.mcp.audit.Redaction",
            "org.acme.mcp.audit.FloodControl", "org.acme.mcp.audit.TrailWriter", "org.acme.mcp.audit.AuditTrail",
            "org.acme.mcp.audit.AuditEvent", "org.acme.mcp.audit.ChainCodec", "org.acme.mcp.audit.JsonText",
            "org.acme.mcp.audit.SentArguments", "org.acme.mcp.audit.AuditAttributes", "org.acme.mcp.audit.AuditType",
            "org.acme.mcp.audit.AuditOutcome",
            "org.acme.mcp.identity.CallerIdentity");

    /** The product's bearer authentication, for {@link App#AUTHENTICATION_ONLY}. */
    static final List<String> AUTHENTICATION = List.of(
            "org.acme.mcp.security.McpBearerAuthenticationMechanism", "org.acme.mcp.security.BearerTokenPrecheck",
            "org.acme.mcp.security.BearerChallenge", "org.acme.mcp.security.VerifiedTokenCache",
            "org.acme.mcp.security.TokenRevocations", "org.acme.mcp.security.RequestIdentity",
            "org.acme.mcp.security.SecurityConfig", "org.acme.mcp.pipeline.ErrorResponses");

    private static final Path ROOT = Path.of("target", "bench-apps").toAbsolutePath();
    private static final Map<App, Path> BUILT = new EnumMap<>(App.class);

    private BenchApps() {
    }

    /** The {@code quarkus-run.jar} of the application, built on first use. */
    static synchronized Path jar(App app) throws Exception {
        Path jar = BUILT.get(app);
        if (jar == null) {
            jar = build(app);
            verify(app, jar);
            BUILT.put(app, jar);
        }
        return jar;
    }

    static List<String> classes(App app) {
        List<String> classes = new ArrayList<>(TOOLS);
        classes.add(NoAudit.class.getName());
        if (app == App.AUTHENTICATION_ONLY) {
            classes.addAll(AUTHENTICATION);
        }
        return classes;
    }

    static Properties configuration(App app) throws IOException {
        Properties product = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "application.properties"))) {
            product.load(in);
        }
        List<String> prefixes = new ArrayList<>(List.of("quarkus.mcp.server.", "mcp.sandbox.", "quarkus.otel."));
        Properties config = new Properties();
        config.setProperty("quarkus.arc.exclude-types", "org.acme.mcp.audit.AuditLog"); // NoAudit's instead
        config.setProperty("bench.no-audit", "true");
        config.setProperty("mcp.audit.trail.enabled", "false");
        if (app == App.AUTHENTICATION_ONLY) {
            prefixes.addAll(List.of("quarkus.oidc.", "quarkus.http.auth.", "mcp.security."));
        } else {
            config.setProperty("quarkus.oidc.enabled", "false"); // build time: no OIDC mechanism at all
        }
        // the product's settings for all profiles; its %dev / %test relaxations do not apply to a packaged app
        product.stringPropertyNames().stream().filter(k -> prefixes.stream().anyMatch(k::startsWith))
                .forEach(k -> config.setProperty(k, product.getProperty(k)));
        return config;
    }

    private static Path build(App app) throws Exception {
        Path dir = ROOT.resolve(app.name);
        deleteRecursively(dir);
        Path root = Files.createDirectories(dir.resolve("application-root"));
        JavaArchive archive = ShrinkWrap.create(JavaArchive.class, app.name + ".jar");
        for (String name : classes(app)) {
            archive.addClass(name); // with its nested classes
        }
        java.io.StringWriter properties = new java.io.StringWriter();
        configuration(app).store(properties, "org.acme.mcp.bench.BenchApps: " + app.name);
        archive.addAsResource(new StringAsset(properties.toString()), "application.properties");
        archive.as(ExplodedExporter.class).exportExplodedInto(root.toFile());
        // what QuarkusProdModeTest does: the project's dependencies, the archive as the whole application
        Path testClasses = PathTestHelper.getTestClassesLocation(BenchApps.class);
        CuratedApplication curated = QuarkusBootstrap.builder()
                .setApplicationRoot(root)
                .setMode(QuarkusBootstrap.Mode.PROD)
                .setLocalProjectDiscovery(true)
                .setIsolateDeployment(true)
                .addExcludedPath(testClasses)
                .setProjectRoot(testClasses)
                .setTargetDirectory(dir.resolve("build"))
                .build().bootstrap();
        try (curated) {
            AugmentResult result = curated.createAugmentor().createProductionApplication();
            return result.getJar().getPath();
        }
    }

    /**
     * Checks what the built application holds: its {@code org.acme} classes are the archive's, none of them a
     * security component of the product, and nothing of it is intercepted.
     */
    static void verify(App app, Path jar) throws Exception {
        Set<String> application = new TreeSet<>();
        Set<String> generated = new TreeSet<>();
        Path appDir = jar.getParent();
        for (Path part : List.of(appDir.resolve("app"), appDir.resolve("quarkus"))) {
            try (Stream<Path> jars = Files.list(part)) {
                for (Path j : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    try (JarFile file = new JarFile(j.toFile())) {
                        file.stream().map(e -> e.getName())
                                .filter(n -> n.startsWith("org/acme/") && n.endsWith(".class"))
                                .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                                .forEach((part.endsWith("app") ? application : generated)::add);
                    }
                }
            }
        }
        // a class comes with its nested, local and anonymous classes
        List<String> listed = classes(app);
        Set<String> outer = new TreeSet<>();
        for (String n : application) {
            outer.add(listed.stream().filter(c -> n.equals(c) || n.startsWith(c + "$")).findAny().orElse(n));
        }
        if (!outer.equals(new TreeSet<>(listed))) {
            throw new IllegalStateException(app.name + ": the application classes are not the archive's:\n  built "
                    + outer + "\n  meant " + new TreeSet<>(listed));
        }
        List<String> security = application.stream().filter(securityComponent(app)).toList();
        if (!security.isEmpty()) {
            throw new IllegalStateException(app.name + " holds security components: " + security);
        }
        List<String> intercepted = generated.stream().filter(n -> n.endsWith("_Subclass")).toList();
        if (!intercepted.isEmpty()) {
            throw new IllegalStateException(app.name + " intercepts: " + intercepted);
        }
    }

    /**
     * Whether a class of the product is part of its request-path security: the pipeline's registration and its stages,
     * tool-call
     * interceptors, extension filters, the tracing hook that audits every call, identity augmentors, and but in
     * {@code authentication-only} the authentication mechanism.
     */
    static Predicate<String> securityComponent(App app) {
        return name -> {
            Class<?> c;
            try {
                c = Class.forName(name, false, BenchApps.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return false;
            }
            // the pipeline's registration and its stages; its annotations and answer helpers do nothing on their own
            return name.startsWith(Pipeline.class.getName())
                    || Pipeline.HttpStage.class.isAssignableFrom(c)
                    || c.isAnnotationPresent(jakarta.interceptor.Interceptor.class)
                    || io.quarkiverse.mcp.server.ToolFilter.class.isAssignableFrom(c)
                    || io.quarkiverse.mcp.server.PromptFilter.class.isAssignableFrom(c)
                    || io.quarkiverse.mcp.server.ResourceFilter.class.isAssignableFrom(c)
                    || io.quarkiverse.mcp.server.ResourceTemplateFilter.class.isAssignableFrom(c)
                    || io.quarkiverse.mcp.server.runtime.McpTracing.class.isAssignableFrom(c)
                    || io.quarkus.security.identity.SecurityIdentityAugmentor.class.isAssignableFrom(c)
                    || app != App.AUTHENTICATION_ONLY
                            && HttpAuthenticationMechanism.class.isAssignableFrom(c);
        };
    }

    /**
     * The product's classes that {@link #securityComponent} counts, so that a check of it can show it finds them
     * there.
     */
    static List<String> productSecurityComponents() {
        return MainClasses.names().stream().filter(securityComponent(App.UNSECURED)).toList();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
