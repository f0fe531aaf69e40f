package org.acme.mcp.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import io.vertx.core.json.JsonObject;

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
    private Writer segment;
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
        JsonObject body = new JsonObject()
                .put("seq", seq + 1)
                .put("time", event.time().toString())
                .put("type", event.type())
                .put("outcome", event.outcome());
        JsonObject attrs = new JsonObject(); // in the event's sorted order: one canonical form
        event.attributes().forEach(attrs::put);
        body.put("attrs", attrs).put("prev", last);
        String line = codec.seal(body.encode()) + "\n";
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (segment == null || segmentBytes + bytes.length > maxSegmentBytes) {
            openSegment(seq + 1);
        }
        segment.write(line);
        segment.flush();
        segmentBytes += bytes.length;
        seq++;
        last = ChainCodec.parse(line.strip()).hash();
        writeHead();
        return seq;
    }

    public synchronized long lastSeq() {
        return seq;
    }

    public Path directory() {
        return dir;
    }

    /** Segments in chain order. */
    static List<Path> segments(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("audit-\\d{12}\\.jsonl")).sorted().toList();
        }
    }

    private void resume() throws IOException {
        List<Path> segments = segments(dir);
        if (segments.isEmpty()) {
            return;
        }
        String lastLine = lastLine(segments.get(segments.size() - 1));
        ChainCodec.Line parsed = lastLine == null ? null : ChainCodec.parse(lastLine);
        if (parsed != null) {
            seq = parsed.seq();
            last = parsed.hash();
        }
        // Always continue in a new segment: an existing one may end with a torn write the verifier must see as is
    }

    private void openSegment(long firstSeq) throws IOException {
        if (segment != null) {
            segment.close();
        }
        Path file = dir.resolve("audit-%012d.jsonl".formatted(firstSeq));
        segment = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        segmentBytes = Files.size(file);
    }

    /** One small in-place write of fixed length: cheap enough for every record, and never shorter than before. */
    private void writeHead() throws IOException {
        if (head == null) {
            head = FileChannel.open(dir.resolve(HEAD), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        head.write(ByteBuffer.wrap(codec.head(seq, last).getBytes(StandardCharsets.US_ASCII)), 0);
    }

    private static String lastLine(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long end = raf.length();
            if (end == 0) {
                return null;
            }
            long pos = end - 1;
            StringBuilder reversed = new StringBuilder();
            raf.seek(pos);
            if (raf.read() == '\n') {
                pos--;
            }
            for (; pos >= 0; pos--) {
                raf.seek(pos);
                int b = raf.read();
                if (b == '\n') {
                    break;
                }
                reversed.append((char) b);
            }
            return new String(reversed.reverse().toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
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
