package org.acme.mcp.conformance;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.acme.mcp.api.AnyAuthenticatedCaller;
import org.acme.mcp.api.InputRequired;
import org.acme.mcp.api.InputResponses;
import org.acme.mcp.api.InputResponses.Elicitation;

import io.quarkiverse.mcp.server.Prompt;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.Tool;
import io.quarkus.arc.properties.IfBuildProperty;

/**
 * The conformance suite's multi-round-trip fixtures ({@code test_input_required_result_*}, {@code test_missing_capability}),
 * written with the public API a tool author uses: {@link InputRequired} to ask, {@link InputResponses} to read the
 * answers and the sealed state on the retry. Test classpath only, like {@link ConformanceFixtures}.
 */
@IfBuildProperty(name = "test.conformance-fixtures", stringValue = "on")
@AnyAuthenticatedCaller
public class InputRequiredFixtures {

    static final Map<String, Object> NAME = schema("name", "string");

    @Inject
    InputResponses input;

    @Tool(name = "test_input_required_result_elicitation", description = "Asks the user's name, then greets them")
    String elicitation() {
        Elicitation answer = input.elicitation("user_name").orElseThrow(() -> InputRequired.builder()
                .elicitForm("user_name", "What is your name?", NAME).build());
        return answer.accepted() ? "Hello, " + answer.content().getOrDefault("name", "unknown") + "!"
                : "No name given (" + answer.action().name().toLowerCase() + ")";
    }

    @Tool(name = "test_input_required_result_sampling", description = "Asks the client's model a question")
    String sampling() {
        return "Sampling result: " + input.sampling("sample_request").orElseThrow(() -> InputRequired.builder()
                .sample("sample_request", "What is the capital of France?", 100).build()).text();
    }

    @Tool(name = "test_input_required_result_list_roots", description = "Asks for the client's roots")
    String listRoots() {
        return "Found " + input.roots("roots_request").orElseThrow(() -> InputRequired.builder()
                .listRoots("roots_request").build()).size() + " root(s)";
    }

    @Tool(name = "test_input_required_result_request_state", description = "Asks for a confirmation, with state")
    String requestState() {
        Optional<Elicitation> confirm = input.elicitation("confirm");
        if (input.state().filter("request-state"::equals).isPresent() && confirm.isPresent()
                && Boolean.TRUE.equals(confirm.get().content().get("ok"))) {
            return "state-ok: requestState validated";
        }
        throw InputRequired.builder().elicitForm("confirm", "Please confirm", schema("ok", "boolean"))
                .state("request-state").build();
    }

    @Tool(name = "test_input_required_result_multiple_inputs", description = "Asks for three inputs at once")
    String multipleInputs() {
        var name = input.elicitation("user_name");
        var greeting = input.sampling("greeting");
        var roots = input.roots("client_roots");
        if (input.state().filter("multiple-inputs"::equals).isPresent() && name.isPresent() && greeting.isPresent()
                && roots.isPresent()) {
            return "Name: " + name.get().content().get("name") + "; Greeting: " + greeting.get().text() + "; Roots: "
                    + roots.get().size();
        }
        throw InputRequired.builder().elicitForm("user_name", "What is your name?", NAME)
                .sample("greeting", "Generate a greeting", 50).listRoots("client_roots").state("multiple-inputs").build();
    }

    @Tool(name = "test_input_required_result_multi_round", description = "Asks twice, one question per round")
    String multiRound() {
        String state = input.state().orElse("");
        if (state.startsWith("round-2:") && input.elicitation("color").isPresent()) {
            return "Multi-round complete for " + state.substring("round-2:".length()) + " who likes "
                    + input.elicitation("color").get().content().get("color");
        }
        if (state.equals("round-1") && input.elicitation("name").isPresent()) {
            throw InputRequired.builder().elicitForm("color", "Step 2: What is your favorite color?",
                    schema("color", "string")).state("round-2:" + input.elicitation("name").get().content().get("name"))
                    .build();
        }
        throw InputRequired.builder().elicitForm("name", "Step 1: What is your name?", NAME).state("round-1").build();
    }

    @Tool(name = "test_input_required_result_tampered_state", description = "Asks for a confirmation, with state")
    String tamperedState() {
        if (input.state().filter("integrity"::equals).isPresent() && input.elicitation("confirm").isPresent()) {
            return "integrity-ok: state verified";
        }
        throw InputRequired.builder().elicitForm("confirm", "Please confirm", schema("ok", "boolean"))
                .state("integrity").build();
    }

    @Tool(name = "test_input_required_result_capabilities", description = "Asks only what the client declared")
    String capabilities() {
        if (input.state().filter("capabilities-test"::equals).isPresent()) {
            return "capabilities-ok";
        }
        InputRequired.Builder ask = InputRequired.builder().state("capabilities-test");
        boolean any = false;
        if (input.clientSupports(InputRequired.Kind.ELICITATION_FORM)) {
            ask.elicitForm("elicit_input", "Elicitation input", schema("value", "string"));
            any = true;
        }
        if (input.clientSupports(InputRequired.Kind.SAMPLING)) {
            ask.sample("sample_input", "Sample request", 50);
            any = true;
        }
        if (!any) {
            return "No supported capabilities declared";
        }
        throw ask.build();
    }

    /** Needs sampling whatever the client declared: one that did not gets -32021. */
    @Tool(name = "test_missing_capability", description = "Needs the client's sampling capability")
    String missingCapability() {
        input.sampling("needed").orElseThrow(() -> InputRequired.builder().sample("needed", "Say hi", 10).build());
        return "Success";
    }

    @Prompt(name = "test_input_required_result_prompt", description = "A prompt that asks for its context first")
    PromptMessage prompt() {
        Elicitation context = input.elicitation("user_context").orElseThrow(() -> InputRequired.builder()
                .elicitForm("user_context", "What context should the prompt use?", schema("context", "string")).build());
        return PromptMessage.withUserRole(new TextContent("Prompt with context: " + context.content().get("context")));
    }

    static Map<String, Object> schema(String property, String type) {
        return Map.of("type", "object", "properties", Map.of(property, Map.of("type", type)), "required",
                List.of(property));
    }
}
