package dev.keyhaven.server.auditstream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real rsyslogd of the test's own: its own configuration, pid file and work directory, one TCP
 * input on a free loopback port (plain, or TLS through the gtls driver with a CA and a certificate
 * for 127.0.0.1 made with openssl here), writing {@code PRI APP-NAME MSGID MSG} per message to a
 * file the test reads. Needs {@code rsyslogd} (with rsyslog-gnutls for TLS) and {@code openssl}.
 */
final class Rsyslog implements AutoCloseable {
    final Path dir;
    final int port;
    final String caPem;
    private final Process process;

    private Rsyslog(Path dir, int port, String caPem, Process process) {
        this.dir = dir;
        this.port = port;
        this.caPem = caPem;
        this.process = process;
    }

    static Rsyslog start(boolean tls) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("keyhaven-rsyslog-");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String caPem = null;
        String global = "global(workDirectory=\"" + dir + "\")\n";
        String module = "module(load=\"imtcp\")\n";
        if (tls) {
            run(
                    dir,
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=keyhaven test ca");
            run(
                    dir,
                    "openssl",
                    "req",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-keyout",
                    "key.pem",
                    "-out",
                    "srv.csr",
                    "-subj",
                    "/CN=127.0.0.1");
            Files.writeString(dir.resolve("ext"), "subjectAltName=IP:127.0.0.1\n");
            run(
                    dir,
                    "openssl",
                    "x509",
                    "-req",
                    "-in",
                    "srv.csr",
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-out",
                    "cert.pem",
                    "-days",
                    "2",
                    "-extfile",
                    "ext");
            caPem = Files.readString(dir.resolve("ca.pem"));
            global = "global(workDirectory=\"" + dir + "\" defaultNetstreamDriverCAFile=\"" + dir.resolve("ca.pem")
                    + "\" defaultNetstreamDriverCertFile=\"" + dir.resolve("cert.pem")
                    + "\" defaultNetstreamDriverKeyFile=\"" + dir.resolve("key.pem") + "\")\n";
            module = "module(load=\"imtcp\" streamDriver.name=\"gtls\" streamDriver.mode=\"1\""
                    + " streamDriver.authMode=\"anon\")\n";
        }
        Files.writeString(
                dir.resolve("rsyslog.conf"),
                global + module
                        + "template(name=\"line\" type=\"string\" string=\"%pri% %app-name% %msgid% %msg%\\n\")\n"
                        + "ruleset(name=\"keyhaven\") { action(type=\"omfile\" file=\"" + dir.resolve("out.log")
                        + "\" template=\"line\") }\n"
                        + "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" + port + "\" ruleset=\"keyhaven\")\n");
        String rsyslogd = Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) ? "/usr/sbin/rsyslogd" : "rsyslogd";
        Process p = new ProcessBuilder(
                        rsyslogd,
                        "-n",
                        "-f",
                        dir.resolve("rsyslog.conf").toString(),
                        "-i",
                        dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start();
        Rsyslog r = new Rsyslog(dir, port, caPem, p);
        try {
            Awaitility.await("rsyslogd listening")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("rsyslogd exited");
                        }
                        return accepts(port);
                    });
        } catch (RuntimeException e) {
            r.close();
            throw new IllegalStateException(
                    "rsyslogd did not start: " + Files.readString(dir.resolve("rsyslogd.out")), e);
        }
        return r;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The lines matching {@code which}, once there are {@code n} of them (20 s at most). */
    List<String> await(Predicate<String> which, int n) throws IOException {
        Path out = dir.resolve("out.log");
        try {
            return Awaitility.await(n + " syslog lines")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> lines(out, which), matching -> matching.size() >= n);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("expected " + n + " syslog lines, got " + lines(out, which) + "; rsyslogd said: "
                    + Files.readString(dir.resolve("rsyslogd.out")));
        }
    }

    private static List<String> lines(Path out, Predicate<String> which) throws IOException {
        if (!Files.exists(out)) {
            return List.of();
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                .filter(which)
                .toList();
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.out").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.out")));
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
