package org.acme.mcp.sandbox;

import org.acme.mcp.it.BlackBoxProfile;
import org.acme.mcp.support.TestIssuer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The sandboxed tool through the packaged prod artifact (real bwrap). */
@QuarkusIntegrationTest
@TestProfile(BlackBoxProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SortLinesToolIT extends SortLinesToolTest {
}
