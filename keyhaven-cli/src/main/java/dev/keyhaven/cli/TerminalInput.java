package dev.keyhaven.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Asks the person at the terminal for an answer: through the {@link Console} when there is one
 * (a password is not echoed), else one line at a time from standard input, so a script or a test
 * can pipe the answers in ({@code printf '%s\n' "$PASSWORD" "$CODE" | keyhaven login …}). Without
 * a console the prompts go to standard error, keeping standard output for results.
 */
final class TerminalInput {
    private final Console console;
    private final InputStream in;
    private final PrintWriter err;
    private BufferedReader lines; // one reader for every prompt: its buffer may hold the next answers

    private TerminalInput(Console console, InputStream in, PrintWriter err) {
        this.console = console;
        this.in = in;
        this.err = err;
    }

    /** The console when standard input is the process's own and a terminal, else {@code in} line by line. */
    static TerminalInput of(InputStream in, PrintWriter err) {
        Console c = in == System.in ? System.console() : null;
        return new TerminalInput(c != null && isTerminal(c) ? c : null, in, err);
    }

    /** A visible answer (an e-mail address, a code), trimmed; null when the input has ended. */
    String readLine(String prompt) {
        String line = console != null ? console.readLine("%s", prompt) : streamLine(prompt);
        return line == null ? null : line.strip();
    }

    /** A secret answer, not echoed on a terminal and not trimmed; null when the input has ended. */
    char[] readSecret(String prompt) {
        if (console != null) {
            return console.readPassword("%s", prompt);
        }
        String line = streamLine(prompt);
        return line == null ? null : line.toCharArray();
    }

    private String streamLine(String prompt) {
        err.print(prompt);
        err.flush();
        try {
            if (lines == null) {
                lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            String line = lines.readLine();
            err.println(); // the answer is not echoed: end the prompt's line
            err.flush();
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    /** JDK 22+ returns a console even when input is redirected; {@code isTerminal()} tells (absent before 22). */
    private static boolean isTerminal(Console c) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: System.console() is null unless both ends are a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
