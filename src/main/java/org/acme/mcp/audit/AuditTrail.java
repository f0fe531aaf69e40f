package org.acme.mcp.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Append-only, hash-chained JSON-lines trail in segments ({@code audit-<first seq>.jsonl}), plus a sealed
 * {@code HEAD} naming the last record, so that edits, deletions, reordering and truncation are all detectable by
 * {@link AuditChainVerifier}. Thread-safe; each append is written through to the OS before it returns.
 */
public final class AuditTrail implements AutoCloseable {

    static final String HEAD = "HEAD";

    private final Path dir;
    private final long maxSegmentBytes;
    private final ChainCodec codec;
    private OutputStream segment;
    private FileChannel head;
    private long segmentBytes;
    private long seq;
    private String last = ChainCodec.GENESIS;

    public AuditTrail(Path dir, long maxSegmentBytes, byte[] hmacKey) throws IOException {
        this.dir = dir;
        this.maxSegmentBytes = maxSegmentBytes;
        this.codec = new ChainCodec(hmacKey);
        Files.createDirectories(dir);
        resume();
    }

    /** Appends one record and returns its sequence number. */
    public synchronized long append(AuditEvent event) throws IOException {
        return appendAll(List.of(event));
    }

    /**
     * Appends records in order with one flush and one {@code HEAD} update for all of them, and returns the last
     * sequence number.
     */
    public synchronized long appendAll(List<AuditEvent> events) throws IOException {
        for (AuditEvent event : events) {
            write(event);
        }
        try {
            segment.flush();
        } catch (IOException e) {
            dropSegment();
            throw e;
        }
        writeHead();
        return seq;
    }

    private void write(AuditEvent event) throws IOException {
        ChainCodec.Sealed sealed = codec.seal(body(seq + 1, event, last));
        byte[] line = sealed.line().concat("\n").getBytes(StandardCharsets.UTF_8);
        if (segment == null || segmentBytes + line.length > maxSegmentBytes) {
            openSegment(seq + 1);
        }
        try {
            segment.write(line);
        } catch (IOException e) {
            dropSegment();
            throw e;
        }
        segmentBytes += line.length;
        seq++;
        last = sealed.hash();
    }

    /**
     * A record's text before sealing: members in a fixed order, attributes in the event's sorted order (one canonical
     * form), ending with {@code prev}.
     */
    static String body(long seq, AuditEvent event, String prev) {
        StringBuilder json = new StringBuilder(512).append("{\"seq\":").append(seq).append(",\"time\":");
        JsonText.quote(json, event.time().toString()).append(",\"type\":");
        JsonText.quote(json, event.type()).append(",\"outcome\":");
        JsonText.quote(json, event.outcome()).append(",\"attrs\":{");
        boolean first = true;
        for (var attribute : event.attributes().entrySet()) {
            JsonText.quote(first ? json : json.append(','), attribute.getKey()).append(':');
            if (attribute.getValue() == null) {
                json.append("null");
            } else {
                JsonText.quote(json, attribute.getValue());
            }
            first = false;
        }
        // the chain's tail in the codec's own spelling (the verifier finds it there); a hash needs no escaping
        return json.append('}').append(ChainCodec.PREV_MEMBER).append(prev).append("\"}").toString();
    }

    /** A half-written line stays for the verifier to see; the next record starts a fresh segment. */
    private void dropSegment() {
        OutputStream broken = segment;
        segment = null;
        try {
            broken.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    public synchronized long lastSeq() {
        return seq;
    }

    public Path directory() {
        return dir;
    }

    /**
     * Segments in chain order: {@code audit-<first record>.jsonl}, and {@code audit-<first record>.r<n>.jsonl} for a
     * segment started after a crash or write error left an earlier one with the same first record incomplete.
     */
    public static List<Path> segments(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("audit-\\d{12}(\\.r\\d{3})?\\.jsonl")).sorted()
                    .toList();
        }
    }

    /** Continues after the last complete record, wherever a crash or a full disk left the tail. */
    private void resume() throws IOException {
        List<Path> segments = segments(dir);
        for (int i = segments.size() - 1; i >= 0; i--) {
            List<String> lines = Files.readAllLines(segments.get(i), StandardCharsets.UTF_8);
            for (int j = lines.size() - 1; j >= 0; j--) {
                ChainCodec.Line parsed = ChainCodec.parse(lines.get(j));
                if (parsed != null) {
                    seq = parsed.seq();
                    last = parsed.hash();
                    return;
                }
            }
        }
    }

    /** Always a new file: an existing segment may end with a torn write that the verifier must see as it is. */
    private void openSegment(long firstSeq) throws IOException {
        if (segment != null) {
            segment.close();
        }
        Path file = dir.resolve("audit-%012d.jsonl".formatted(firstSeq));
        for (int retry = 1; Files.exists(file); retry++) {
            file = dir.resolve("audit-%012d.r%03d.jsonl".formatted(firstSeq, retry));
        }
        segment = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW), 64 * 1024);
        segmentBytes = 0;
    }

    /** One small in-place write of fixed length: cheap enough for every record, and never shorter than before. */
    private void writeHead() throws IOException {
        if (head == null) {
            head = FileChannel.open(dir.resolve(HEAD), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        head.write(ByteBuffer.wrap(codec.head(seq, last).getBytes(StandardCharsets.US_ASCII)), 0);
    }

    @Override
    public synchronized void close() throws IOException {
        if (segment != null) {
            segment.close();
        }
        if (head != null) {
            head.close();
        }
    }
}
