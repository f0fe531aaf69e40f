package org.acme.mcp.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.acme.mcp.api.SandboxResult;
import org.acme.mcp.support.TestIssuer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The weaker mode an operator may choose where user namespaces are forbidden: limits hold, isolation does not. */
@QuarkusTest
@TestProfile(RlimitOnlyModeTest.RlimitOnly.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class RlimitOnlyModeTest {

    public static class RlimitOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.sandbox.mode", "rlimit-only");
        }
    }

    @Inject
    SandboxExecutor sandbox;

    @Test
    void limitsAndEnvironmentScrubbingStillHold() {
        SandboxResult spin = sandbox.run("hostile", List.of("/usr/bin/bash", "-c", "while :; do :; done"), "");
        assertTrue(spin.exitCode() > 128, spin.describe());
        SandboxResult env = sandbox.run("hostile", List.of("/usr/bin/bash", "-c", "env; id -u"), "");
        assertTrue(env.stdout().contains("PATH=/usr/bin:/bin"), env.stdout());
        assertTrue(!env.stdout().contains("HOME="), env.stdout());
        int uid = Integer.parseInt(env.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(uid >= 200000, "still not root: " + uid);
    }

    @Test
    void readinessSaysWhichMode() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'sandbox' }.data.mode", equalTo("rlimit-only"));
    }
}
