package org.acme.mcp.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis (Debian's {@code redis-server}, installed by {@code .ci/run}) on a loopback port, with a password and
 * without persistence, started by the test: {@link #kill()} takes it away as a crash would (its data with it), and
 * {@link #start()} brings an empty one back on the same port.
 */
public final class RedisServer implements AutoCloseable {

    public static final String BINARY = "/usr/bin/redis-server";

    private final int port;
    private final String password;
    private final Path log;
    private Process process;

    public RedisServer(String password) throws IOException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new IllegalStateException(BINARY + " is missing: install the Debian package redis-server"
                    + " (bash .ci/run does)");
        }
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = socket.getLocalPort();
        }
        this.password = password;
        this.log = Files.createTempFile("redis-server", ".log");
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public String password() {
        return password;
    }

    /** Starts it and waits until it accepts connections. */
    public RedisServer start() throws Exception {
        List<String> command = new ArrayList<>(List.of(BINARY, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "yes"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not listen within 10 s: " + Files.readString(log));
    }

    /** SIGKILL: no shutdown, no save. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            process = null;
        }
    }

    /** A command through {@code redis-cli}, authenticated; its output. */
    public String cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port), "--no-auth-warning"));
        if (password != null) {
            command.addAll(List.of("-a", password));
        }
        command.addAll(List.of(args));
        Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(cli.getInputStream().readAllBytes());
        cli.waitFor(10, TimeUnit.SECONDS);
        return out.trim();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
