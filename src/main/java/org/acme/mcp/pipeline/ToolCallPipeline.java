package org.acme.mcp.pipeline;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.interceptor.InterceptorBinding;

/**
 * Binds the tool-call interceptors of {@link Pipeline.ToolCall} (failures, limits, guards) to a tool method. Tool
 * authors never write it: the policy annotations every tool must carry carry it, so no tool runs outside them.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface ToolCallPipeline {
}
