package org.acme.mcp.support;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.vertx.ext.web.Router;

/**
 * Endpoints a template user might add without thinking about security (test sources only, never shipped):
 * a plain JAX-RS resource and a raw Vert.x route. Deny-by-default must protect both.
 */
@Singleton
public class ProbeEndpoints {

    /** The application router, kept for tests that walk every route. */
    public static volatile Router router;

    void routes(@Observes Router router) {
        ProbeEndpoints.router = router;
        router.get("/probe/route").handler(ctx -> ctx.end("secret from a raw route"));
    }

    @Path("/probe/jaxrs")
    public static class UnannotatedResource {
        @GET
        public String get() {
            return "secret from an unannotated resource";
        }
    }
}
