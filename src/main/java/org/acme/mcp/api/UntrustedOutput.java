package org.acme.mcp.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a tool's results carry content from outside the server (caller text, web pages, files, other
 * systems): they are returned between random boundaries, data-marked and with invisible characters escaped
 * ({@code Spotlighting}). The same as {@code mcp.guard.tools."<tool>".untrusted-output=true}.
 * <p>
 * Supported results: {@code String}, {@code TextContent} and other {@code Content}, {@code ToolResponse}, lists of
 * these, and {@code Uni} / {@code CompletionStage} of them. A tool returning its own type (structured content) cannot
 * be marked and stops start-up: return a {@code ToolResponse} instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UntrustedOutput {
}
