package org.acme.mcp.pipeline;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

import org.acme.mcp.guard.ToolCallGuardInterceptor;

/**
 * Binds {@link ToolCallGuardInterceptor} (input guards, untrusted-output marking) to a tool method. Tool authors never
 * write it: the policy annotations every tool must carry ({@code @RequiresScopes}, {@code @RequiresRoles},
 * {@code @AnyAuthenticatedCaller}, {@code @RequiresRecentAuthentication}) carry it, so no tool runs unguarded.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface GuardedToolCall {
}
