package org.acme.mcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

import org.acme.mcp.pipeline.ToolCallPipeline;

/**
 * Declares, on purpose, that any authenticated caller may use the tool. Every tool must carry either this or
 * {@link RequiresScopes} / {@link RequiresRoles}: a tool with no declaration stops the server at start-up.
 */
@ToolCallPipeline
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface AnyAuthenticatedCaller {
}
