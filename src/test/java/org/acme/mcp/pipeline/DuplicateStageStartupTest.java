package org.acme.mcp.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.enterprise.context.ApplicationScoped;

import org.acme.mcp.support.StartupApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.test.QuarkusUnitTest;
import io.vertx.ext.web.RoutingContext;

/**
 * The pipeline's order is the one in {@link Pipeline.Stage}: a second bean for a stage (here one that would let every
 * request through in place of the transport checks) stops the start instead of running in an order nobody chose.
 */
class DuplicateStageStartupTest {

    @IfBuildProperty(name = "test.duplicate-stage", stringValue = "on")
    @ApplicationScoped
    @Pipeline.At(Pipeline.Stage.TRANSPORT)
    public static class PassEverything implements Pipeline.HttpStage {
        @Override
        public void handle(RoutingContext ctx) {
            ctx.next();
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> StartupApps.application(jar).addClass(PassEverything.class))
            .overrideConfigKey("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/none")
            .overrideConfigKey("test.duplicate-stage", "on")
            .assertException(e -> {
                String chain = StartupApps.messages(e);
                assertTrue(chain.contains("Pipeline stage TRANSPORT claimed by"), chain);
                assertTrue(chain.contains("PassEverything"), chain);
            });

    @Test
    void startupFails() {
        fail("the application must not start");
    }
}
