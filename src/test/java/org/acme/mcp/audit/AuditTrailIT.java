package org.acme.mcp.audit;

import org.acme.mcp.it.BlackBoxProfile;
import org.acme.mcp.support.TestIssuer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The audit trail the packaged prod artifact writes, read and verified from outside. */
@QuarkusIntegrationTest
@TestProfile(BlackBoxProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class AuditTrailIT extends AuditTrailIntegrationTest {
}
