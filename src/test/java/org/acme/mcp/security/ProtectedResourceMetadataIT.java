package org.acme.mcp.security;

import org.acme.mcp.it.BlackBoxProfile;
import org.acme.mcp.support.TestIssuer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** Protected Resource Metadata and challenges as the packaged prod artifact serves them. */
@QuarkusIntegrationTest
@TestProfile(BlackBoxProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class ProtectedResourceMetadataIT extends ProtectedResourceMetadataTest {
}
