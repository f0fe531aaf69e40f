package org.acme.mcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import org.acme.mcp.pipeline.ToolCallPipeline;

/**
 * The OAuth scopes a caller's access token must carry, all of them, to see and call the tool. A caller that lacks
 * one gets HTTP 403 with {@code WWW-Authenticate: Bearer error="insufficient_scope", scope="…"} so that its client can
 * ask the user for the scope and retry (MCP 2025-11-25 scope challenge). On a class: every tool of the class.
 */
@ToolCallPipeline
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface RequiresScopes {

    @Nonbinding
    String[] value();
}
