package org.acme.mcp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The isolation flags of a run, exactly. */
class SandboxCommandTest {

    record Config(Mode mode, String bwrap, String prlimit, String setpriv, int uidBase, int uidCount,
            List<String> readOnlyPaths, Map<String, Profile> profiles) implements SandboxConfig {
    }

    static final SandboxCommand.Limits LIMITS = new SandboxCommand.Limits(2, 1 << 28, 16, 64, 1 << 20, false, List.of());

    static List<String> build(SandboxConfig.Mode mode, SandboxCommand.Limits limits) {
        return SandboxCommand.build(new Config(mode, "/usr/bin/bwrap", "/usr/bin/prlimit", "/usr/bin/setpriv", 200000,
                65536, List.of("/usr"), Map.of()), limits, List.of("/usr/bin/sort", "-n"), Map.of("PATH", "/usr/bin"), 212345);
    }

    @Test
    void bwrapModeIsolatesEverything() {
        List<String> cmd = build(SandboxConfig.Mode.BWRAP, LIMITS);
        for (String flag : List.of("--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
                "--new-session", "--clearenv", "--cpu=2", "--as=268435456", "--nproc=16", "--nofile=64", "--fsize=1048576")) {
            assertTrue(cmd.contains(flag), flag + " in " + cmd);
        }
        assertEquals("ALL", cmd.get(cmd.indexOf("--cap-drop") + 1));
        assertFalse(cmd.contains("--share-net"), "no network unless the profile asks");
        assertFalse(cmd.contains("--bind"), "nothing of the host is writable");
        assertEquals(List.of("--", "/usr/bin/sort", "-n"), cmd.subList(cmd.size() - 3, cmd.size()), "argv passed as is");
        assertTrue(cmd.indexOf("/usr/bin/prlimit") < cmd.indexOf("/usr/bin/bwrap"), "limits are set before bwrap runs");
        if (SandboxCommand.RUNNING_AS_ROOT) {
            assertEquals(List.of("/usr/bin/setpriv", "--reuid", "212345", "--regid", "212345", "--clear-groups",
                    "--inh-caps=-all", "--no-new-privs", "--"), cmd.subList(0, 9), "root is left first");
        }
    }

    @Test
    void networkOnlyWhenTheProfileAsks() {
        var limits = new SandboxCommand.Limits(2, 1 << 28, 16, 64, 1 << 20, true, List.of("/srv/data"));
        List<String> cmd = build(SandboxConfig.Mode.BWRAP, limits);
        assertTrue(cmd.contains("--share-net"));
        int i = Collections.indexOfSubList(cmd, List.of("--ro-bind", "/srv/data", "/srv/data"));
        assertTrue(i > 0, "extra paths are read-only");
    }

    @Test
    void rlimitOnlyModeHasNoNamespaces() {
        List<String> cmd = build(SandboxConfig.Mode.RLIMIT_ONLY, LIMITS);
        assertFalse(cmd.contains("/usr/bin/bwrap"));
        assertEquals(List.of("--", "/usr/bin/sort", "-n"), cmd.subList(cmd.size() - 3, cmd.size()));
    }
}
