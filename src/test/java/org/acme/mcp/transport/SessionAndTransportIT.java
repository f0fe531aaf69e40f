package org.acme.mcp.transport;

import org.acme.mcp.it.BlackBoxProfile;
import org.acme.mcp.support.TestIssuer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** Session binding and transport checks of the packaged prod artifact. */
@QuarkusIntegrationTest
@TestProfile(BlackBoxProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SessionAndTransportIT extends SessionAndTransportTest {
}
