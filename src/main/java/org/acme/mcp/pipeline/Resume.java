package org.acme.mcp.pipeline;

import java.util.function.Consumer;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/** Lets a stage wait for an answer from elsewhere (Redis) without blocking its event loop. */
public final class Resume {

    private Resume() {
    }

    /**
     * Goes on with {@code then}: at once when {@code outcome} is already known, else once it is, back on the request's
     * own event loop and with the request paused meanwhile, so that none of its body is lost.
     */
    public static <T> void when(RoutingContext ctx, Future<T> outcome, Consumer<AsyncResult<T>> then) {
        if (outcome.isComplete()) {
            then.accept(outcome);
            return;
        }
        ctx.request().pause();
        Context context = Vertx.currentContext(); // the request's event loop: Redis answers on its own
        outcome.onComplete(done -> context.runOnContext(v -> {
            ctx.request().resume();
            then.accept(done);
        }));
    }
}
