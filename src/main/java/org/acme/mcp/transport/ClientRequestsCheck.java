package org.acme.mcp.transport;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.runtime.FeatureArgument.Provider;
import io.quarkiverse.mcp.server.runtime.FeatureMetadata;
import io.quarkiverse.mcp.server.runtime.McpMetadata;
import io.quarkus.runtime.Startup;

/**
 * Refuses to start when a feature sends requests to the client ({@code Sampling}, {@code Elicitation} or
 * {@code Roots} parameters), which would never get their answers: {@link RequestBodyGuard} drops every response a
 * client posts. quarkus-mcp-server 1.13 numbers those requests with one counter for all sessions and hands a
 * response to the pending request with its id, whichever session posted it, so any other caller could answer this
 * session's sampling or elicitation request by counting. A server that needs them must first bind responses to the
 * session their request went to. A feature asks for input by throwing {@code api.InputRequired} instead (an
 * {@code input_required} result of MCP 2026-07-28, sealed and bound to its caller). Features registered in code are
 * not seen here; the dropped responses cover them.
 */
@Startup
@Singleton
public class ClientRequestsCheck {

    static final Set<Provider> SENDS_REQUESTS = Set.of(Provider.SAMPLING, Provider.ELICITATION, Provider.ROOTS);

    ClientRequestsCheck(McpMetadata metadata) {
        List<String> senders = Stream.of(metadata.tools(), metadata.prompts(), metadata.resources(),
                metadata.resourceTemplates(), metadata.promptCompletions(), metadata.resourceTemplateCompletions(),
                metadata.notifications())
                .flatMap(List::stream)
                .filter(ClientRequestsCheck::sendsRequests)
                .map(f -> f.feature() + " " + f.info().name() + " (" + f.info().declaringClassName() + "#"
                        + f.info().methodName() + ")")
                .toList();
        if (!senders.isEmpty()) {
            throw new IllegalStateException("Features that send requests to the client (sampling, elicitation, roots): "
                    + senders + ". This server drops the responses clients post: quarkus-mcp-server 1.13 would accept"
                    + " one from any session that posts its id, so another caller could answer. Ask for input by"
                    + " throwing org.acme.mcp.api.InputRequired instead (src/docs/tools.md, \"Ask the client for"
                    + " input\").");
        }
    }

    static boolean sendsRequests(FeatureMetadata<?> feature) {
        return feature.info().arguments().stream().anyMatch(a -> SENDS_REQUESTS.contains(a.provider()));
    }
}
