package org.acme.mcp.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkiverse.mcp.server.Root;

/**
 * What the client sent back on the retry of a request that was answered {@link InputRequired}; inject it into the
 * tool, prompt or resource class. Each answer is read by the key its request was added under, and checked for the shape
 * its kind has: a malformed answer is refused with {@code -32602} (invalid params) when it is read (when the sealed
 * state names the question, before the method runs). Answers the method does not read are ignored.
 * <p>
 * Answers come from the client, like arguments: a client may even send some without being asked, with no
 * {@link #state()}. Validate them as such, and count an answer as one to your own question only when {@link #state()}
 * is present, which only the server can make so.
 */
public interface InputResponses {

    /** The state the method set in its last {@link InputRequired}, verified; empty on a first call. */
    Optional<String> state();

    /** The answer to the elicitation asked under {@code key}, if it came back. */
    Optional<Elicitation> elicitation(String key);

    /** The answer to the sampling request asked under {@code key}, if it came back. */
    Optional<Sampling> sampling(String key);

    /** The roots sent for the request asked under {@code key}, if they came back. */
    Optional<List<Root>> roots(String key);

    /** Whether the client of this request declared it can be asked for {@code kind}. */
    boolean clientSupports(InputRequired.Kind kind);

    /** An elicitation's answer: what the user chose, and the form's content when it was accepted. */
    record Elicitation(Action action, Map<String, Object> content) {

        public enum Action {
            /** The user agreed (and filled in the form). In URL mode: only that the user agreed to open the page. */
            ACCEPT,
            /** The user said no. */
            DECLINE,
            /** The user dismissed the request without choosing. */
            CANCEL
        }

        public boolean accepted() {
            return action == Action.ACCEPT;
        }
    }

    /** A completion from the client's model: its text (of its text blocks; empty if it has none) and the model. */
    record Sampling(String text, String model) {
    }
}
