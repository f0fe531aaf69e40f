package org.acme.mcp.support;

import org.jboss.shrinkwrap.api.spec.JavaArchive;

/** Helpers for the small {@code QuarkusUnitTest} applications that check start-up refusals. */
public final class StartupApps {

    /** The application's packages (the guard's classes are added one by one: its package holds test tools). */
    public static final String[] APP_PACKAGES = { "org.acme.mcp.audit", "org.acme.mcp.incident", "org.acme.mcp.integrity",
            "org.acme.mcp.rbac", "org.acme.mcp.sandbox", "org.acme.mcp.security", "org.acme.mcp.tools",
            "org.acme.mcp.transport", "org.acme.mcp.validation" };

    private StartupApps() {
    }

    /**
     * The whole application as it ships (every class the main build compiled, the pipeline's stages among them) plus
     * {@link #APP_PACKAGES}' test classes, its application.properties and the guard's word lists and classifier.
     */
    public static JavaArchive application(JavaArchive jar) {
        MainClasses.names().forEach(jar::addClass);
        jar.addAsResource("guard/classifier.bin.gz").addAsResource("guard/phrases/common.txt");
        org.acme.mcp.guard.InjectionPatterns.LANGUAGES.forEach(l -> jar.addAsResource("guard/phrases/" + l + ".txt"));
        return jar.addPackages(true, APP_PACKAGES).addAsResource("application.properties");
    }

    /** Every message of an exception's cause chain, one per line. */
    public static String messages(Throwable e) {
        StringBuilder chain = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            chain.append(t.getMessage()).append('\n');
        }
        return chain.toString();
    }
}
