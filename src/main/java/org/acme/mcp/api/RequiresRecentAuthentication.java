package org.acme.mcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

import org.acme.mcp.pipeline.ToolCallPipeline;

/**
 * Step-up for sensitive tools (RFC 9470): the user must have authenticated recently ({@code auth_time}) and/or with
 * one of the given authentication context classes ({@code acr}). Otherwise the call gets HTTP 401 with
 * {@code error="insufficient_user_authentication"} and {@code max_age} / {@code acr_values}, telling the client to
 * send the user through the authorization server again.
 */
@ToolCallPipeline
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE })
public @interface RequiresRecentAuthentication {

    /** Longest time since the user's authentication ({@code auth_time}), in seconds; 0 = not checked. */
    @Nonbinding
    long maxAgeSeconds() default 0;

    /** Accepted {@code acr} values, any one of them; empty = not checked. */
    @Nonbinding
    String[] acr() default {};
}
