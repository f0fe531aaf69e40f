package org.acme.mcp.security;

import java.util.List;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * The baseline of the security benchmark: with {@code mcp.benchmark.unsecured=true} the server runs without
 * authentication, authorization, session binding, limits and audit, so that their cost can be measured against it.
 * <p>
 * Honoured only when {@code benchmark} is the one active profile: any other profile, prod included, refuses to start
 * with the flag set, so no deployment can switch the checks off by setting one variable.
 */
@Startup
@Singleton
public class BenchmarkMode {

    static final String PROFILE = "benchmark";
    private static final Logger LOG = Logger.getLogger(BenchmarkMode.class);

    private final boolean unsecured;

    public BenchmarkMode(@ConfigProperty(name = "mcp.benchmark.unsecured", defaultValue = "false") boolean unsecured) {
        List<String> profiles = ConfigUtils.getProfiles();
        if (unsecured && !profiles.equals(List.of(PROFILE))) {
            throw new IllegalStateException("mcp.benchmark.unsecured=true switches every security check off; it is"
                    + " honoured only in the '" + PROFILE + "' profile, active profiles: " + profiles);
        }
        this.unsecured = unsecured;
        if (unsecured) {
            LOG.error("SECURITY CHECKS OFF (mcp.benchmark.unsecured=true): benchmark baseline, never expose this server");
        }
    }

    /** Whether the security checks are off for a benchmark baseline. */
    public boolean unsecured() {
        return unsecured;
    }
}
