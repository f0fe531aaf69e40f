package org.acme.mcp.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.acme.mcp.api.SandboxException;
import org.acme.mcp.api.SandboxResult;
import org.acme.mcp.support.Processes;
import org.acme.mcp.support.TestIssuer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Real hostile programs (bash scripts, no mocks) in the real sandbox, profile {@code hostile} (%test only): each is
 * contained, ends with a clear outcome, and leaves no process behind (checked in /proc after every test).
 */
@QuarkusTest
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SandboxHostileTest {

    @Inject
    SandboxExecutor sandbox;

    /** A number unique to this test, written into every script so that strays can be found in /proc. */
    final String marker = String.valueOf(1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));

    SandboxResult bash(String script) {
        return sandbox.run("hostile", List.of("/usr/bin/bash", "-c", ": " + marker + "; " + script), "");
    }

    @AfterEach
    void noStrayOrZombieProcesses() throws Exception {
        Thread.sleep(200);
        assertEquals(List.of(), Processes.withMarker(marker), "stray processes");
        assertEquals(0, ProcessHandle.current().descendants().count(), "children left");
        assertTrue(bash("echo healthy").stdout().contains("healthy"), "the sandbox still works");
    }

    @Test
    void forkBomb() {
        SandboxResult r = bash("f(){ f | f & }; f; sleep 2." + marker);
        assertTrue(r.duration().toMillis() < 6_000, r.describe());
    }

    @Test
    void memoryHog() {
        SandboxResult r = bash("a=aaaaaaaaaaaaaaaa; while :; do a=$a$a; done");
        assertFalse(r.succeeded(), r.describe());
        assertEquals(SandboxResult.Outcome.EXITED, r.outcome(), "stopped by the memory limit, not the clock: " + r.describe());
    }

    @Test
    void cpuSpin() {
        SandboxResult r = bash("while :; do :; done");
        assertEquals(SandboxResult.Outcome.EXITED, r.outcome(), "stopped by the CPU limit, not the clock: " + r.describe());
        assertTrue(r.exitCode() > 128, r.describe());
        assertTrue(r.describe().contains("killed by"), r.describe());
    }

    @Test
    void sleepForever() {
        SandboxResult r = bash("sleep 1000." + marker);
        assertEquals(SandboxResult.Outcome.TIMED_OUT, r.outcome());
        assertTrue(r.duration().toMillis() >= 3_000 && r.duration().toMillis() < 8_000, r.duration().toString());
        assertTrue(r.describe().startsWith("timed out after"), r.describe());
    }

    @Test
    void outputFlood() {
        SandboxResult r = sandbox.run("hostile", List.of("/usr/bin/bash", "-c", ": " + marker + "; yes flood"), "");
        assertEquals(SandboxResult.Outcome.OUTPUT_LIMIT, r.outcome());
        assertTrue(r.truncated());
        assertTrue(r.stdout().length() <= 16 * 1024, "kept " + r.stdout().length());
    }

    @Test
    void noNetwork() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(1_500);
            SandboxResult r = bash("echo hello > /dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo CONNECTED");
            assertFalse(r.stdout().contains("CONNECTED"), r.stdout());
            assertThrows(SocketTimeoutException.class, server::accept, "the sandbox reached the host's loopback");
        }
    }

    @Test
    void hostSecretsAreNotVisible() {
        String appConfig = Path.of("target", "classes", "application.properties").toAbsolutePath().toString();
        SandboxResult r = bash("cat /etc/shadow; cat /etc/passwd; cat " + appConfig + "; ls /root /home /work 2>&1;"
                + " tr '\\0' '\\n' < /proc/1/environ; echo; env");
        assertFalse(r.stdout().contains("root:"), r.stdout());
        assertFalse(r.stdout().contains("quarkus.oidc"), "server configuration readable");
        List<String> hostVariables = System.getenv().keySet().stream()
                .filter(k -> !List.of("PATH", "LANG", "PWD", "SHLVL", "_", "HOSTNAME").contains(k)).toList();
        for (String variable : hostVariables) {
            assertFalse(r.stdout().contains(variable + "="), "server environment leaked: " + variable);
        }
    }

    @Test
    void writesStayInTheSandbox() {
        SandboxResult r = bash("echo x > /usr/evil-" + marker + "; echo x > /evil-" + marker + "; echo x > /etc/evil;"
                + " echo inside > /tmp/ok && cat /tmp/ok");
        assertTrue(r.stdout().contains("inside"), "the private /tmp is writable: " + r.stderr());
        assertFalse(Files.exists(Path.of("/usr/evil-" + marker)));
        assertFalse(Files.exists(Path.of("/evil-" + marker)));
        assertFalse(bash("cat /tmp/ok").stdout().contains("inside"), "the private /tmp is removed afterwards");
    }

    @Test
    void symlinksDoNotEscape() {
        SandboxResult r = bash("ln -s / /tmp/root; cat /tmp/root/etc/shadow; ln -s /proc/1/root/etc/shadow /tmp/s;"
                + " cat /tmp/s; ln -s ../../../../etc/passwd /tmp/p; cat /tmp/p; ls /tmp/root/");
        assertFalse(r.stdout().contains("root:"), r.stdout());
        assertFalse(r.stdout().contains("home"), "the host's root directory is visible: " + r.stdout());
    }

    @Test
    void killingTheParentDoesNotHurtTheServer() {
        SandboxResult r = bash("kill -9 $PPID; kill -9 1; kill -9 -1; sleep 1." + marker);
        assertTrue(r.duration().toMillis() < 8_000, r.describe());
    }

    @Test
    void backgroundChildrenDoNotOutliveTheCall() {
        SandboxResult r = bash("(sleep 1000." + marker + " &); nohup sleep 1001." + marker + " >/dev/null 2>&1 &"
                + " setsid sleep 1002." + marker + " & echo started");
        assertTrue(r.succeeded(), r.describe());
        assertTrue(r.stdout().contains("started"));
    }

    @Test
    void onlyAllowListedProgramsRun() {
        assertThrows(SandboxException.class, () -> sandbox.run("hostile", List.of("/usr/bin/python3", "-c", "1"), ""));
        assertThrows(SandboxException.class, () -> sandbox.run("hostile", List.of("/usr/bin/bash -c id"), ""));
        assertThrows(SandboxException.class, () -> sandbox.run("hostile", List.of("bash", "-c", "id"), ""));
        assertThrows(SandboxException.class, () -> sandbox.run("no-such-profile", List.of("/usr/bin/bash"), ""));
    }

    @Test
    void runsAsAnUnprivilegedUserWithoutCapabilities() {
        SandboxResult r = bash("id -u; grep -E 'CapEff|NoNewPrivs' /proc/self/status");
        int uid = Integer.parseInt(r.stdout().lines().findFirst().orElseThrow());
        assertTrue(uid >= 200000 && uid < 265536, "a uid of the sandbox range: " + r.stdout());
        assertTrue(r.stdout().contains("CapEff:\t0000000000000000"), r.stdout());
        assertTrue(r.stdout().contains("NoNewPrivs:\t1"), "setuid programs cannot regain privileges: " + r.stdout());
    }
}
