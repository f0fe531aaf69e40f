package org.acme.mcp.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Verifies an audit trail directory and says where it was tampered with: an edited record, a deleted one, a
 * reordering, a truncated tail. JDK only, so it runs without the server:
 *
 * <pre>
 * MCP_AUDIT_HMAC_KEY=... java -cp target/quarkus-app/app/secure-mcp-server-1.0.0-SNAPSHOT.jar \
 *     org.acme.mcp.audit.AuditChainVerifier /var/lib/mcp/audit
 * </pre>
 *
 * Exit code 0 when intact, 1 when tampered, 2 on usage errors.
 */
public final class AuditChainVerifier {

    /** The verdict; for a failure, the segment, line (1-based) and what is wrong there. */
    public record Result(boolean intact, long records, String segment, long line, String problem) {

        @Override
        public String toString() {
            return intact ? "INTACT: " + records + " records"
                    : "TAMPERED at " + segment + (line > 0 ? ":" + line : "") + ": " + problem;
        }
    }

    private AuditChainVerifier() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AuditChainVerifier <trail directory>   (key from env MCP_AUDIT_HMAC_KEY, if set)");
            System.exit(2);
        }
        String key = System.getenv("MCP_AUDIT_HMAC_KEY");
        Map<String, Result> chains = verifyAll(Path.of(args[0]), key == null ? null : key.getBytes(StandardCharsets.UTF_8));
        if (chains.isEmpty()) {
            System.out.println("NO TRAIL in " + args[0]);
            System.exit(1);
        }
        chains.forEach((chain, result) -> System.out.println(chain + ": " + result));
        System.exit(chains.values().stream().allMatch(Result::intact) ? 0 : 1);
    }

    /**
     * Every chain in {@code dir}: the directory's own (named {@code .}) and one per subdirectory holding a trail
     * (named by the replica id, {@code mcp.audit.replica-id}), each verified on its own, in name order.
     */
    public static Map<String, Result> verifyAll(Path dir, byte[] key) throws IOException {
        Map<String, Result> chains = new TreeMap<>();
        if (holdsChain(dir)) {
            chains.put(".", verify(dir, key));
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path sub : entries.filter(Files::isDirectory).toList()) {
                if (holdsChain(sub)) {
                    chains.put(sub.getFileName().toString(), verify(sub, key));
                }
            }
        }
        return chains;
    }

    private static boolean holdsChain(Path dir) throws IOException {
        return Files.exists(dir.resolve(AuditTrail.HEAD)) || !AuditTrail.segments(dir).isEmpty();
    }

    public static Result verify(Path dir, byte[] key) throws IOException {
        ChainCodec codec = new ChainCodec(key);
        List<Path> segments = AuditTrail.segments(dir);
        long expected = 1;
        String prev = ChainCodec.GENESIS;
        for (Path segment : segments) {
            String name = segment.getFileName().toString();
            List<String> lines = Files.readAllLines(segment, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String text = lines.get(i);
                ChainCodec.Line line = ChainCodec.parse(text);
                if (line == null) {
                    return new Result(false, expected - 1, name, i + 1, "not a complete record (edited or torn)");
                }
                if (line.seq() != expected) {
                    String what = line.seq() > expected
                            ? "records " + expected + (line.seq() - 1 > expected ? ".." + (line.seq() - 1) : "")
                                    + " missing (deleted)"
                            : "record " + line.seq() + " out of order (reordered or replayed)";
                    return new Result(false, expected - 1, name, i + 1, "expected record " + expected + ", found "
                            + line.seq() + ": " + what);
                }
                if (!codec.hash(line.body()).equals(line.hash())) {
                    return new Result(false, expected - 1, name, i + 1, "record " + line.seq() + " was edited (hash mismatch)");
                }
                if (!line.prev().equals(prev)) {
                    return new Result(false, expected - 1, name, i + 1, "record " + line.seq()
                            + " does not follow record " + (expected - 1) + " (a record before it was edited or removed)");
                }
                prev = line.hash();
                expected++;
            }
        }
        long records = expected - 1;
        Path head = dir.resolve(AuditTrail.HEAD);
        if (!Files.exists(head)) {
            return records == 0 ? new Result(true, 0, null, 0, null)
                    : new Result(false, records, AuditTrail.HEAD, 0, "HEAD is missing");
        }
        String[] parts = Files.readString(head).strip().split(" ");
        if (parts.length != 3 || !parts[0].matches("\\d{20}")
                || !codec.head(Long.parseLong(parts[0]), parts[1]).strip().equals(String.join(" ", parts))) {
            return new Result(false, records, AuditTrail.HEAD, 0, "HEAD was edited");
        }
        long headSeq = Long.parseLong(parts[0]);
        if (headSeq > records) {
            return new Result(false, records, AuditTrail.HEAD, 0, "truncated: the trail ends at record " + records
                    + " but HEAD names record " + headSeq);
        }
        if (headSeq < records || !parts[1].equals(prev)) {
            return new Result(false, records, AuditTrail.HEAD, 0, "HEAD names record " + headSeq
                    + ", not the last record " + records);
        }
        return new Result(true, records, null, 0, null);
    }
}
