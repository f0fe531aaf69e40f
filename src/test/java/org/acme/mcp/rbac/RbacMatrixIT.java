package org.acme.mcp.rbac;

import org.acme.mcp.it.BlackBoxProfile;
import org.acme.mcp.support.TestIssuer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The RBAC matrix against the packaged prod artifact. */
@QuarkusIntegrationTest
@TestProfile(BlackBoxProfile.class)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class RbacMatrixIT extends RbacMatrixTest {
}
