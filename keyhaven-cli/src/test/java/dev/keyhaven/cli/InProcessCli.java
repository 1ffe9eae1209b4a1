package dev.keyhaven.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in-process with a given environment and working directory, and keeps what it printed. */
final class InProcessCli {
    record Result(int code, String out, String err) {}

    private InProcessCli() {}

    static Result run(Map<String, String> env, Path work, String... args) {
        return runWithInput(env, work, null, args);
    }

    /** With {@code stdin} as standard input (no console, as in a pipe); null keeps the process's. */
    static Result runWithInput(Map<String, String> env, Path work, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = KeyhavenCli.commandLine(env, work);
        if (stdin != null) {
            ((KeyhavenCli) cmd.getCommand()).stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        }
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
