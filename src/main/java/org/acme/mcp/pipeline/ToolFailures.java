package org.acme.mcp.pipeline;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

import org.acme.mcp.failure.ToolFailureInterceptor;

/**
 * Binds {@link ToolFailureInterceptor} to a tool method. Like the limits, tool authors never write it: the policy
 * annotations every tool must carry carry it, so no tool can leak an exception to its caller.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface ToolFailures {
}
