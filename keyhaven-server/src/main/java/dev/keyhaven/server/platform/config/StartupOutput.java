package dev.keyhaven.server.platform.config;

/**
 * The one place besides the failure reporter that writes to standard output: the start-up banner
 * (where the server listens, where the data is, what to do next) and, in development mode only,
 * the development admin login. Nothing else in the server prints to the console.
 */
public final class StartupOutput {
    private StartupOutput() {}

    public static void print(String text) {
        System.out.print(text);
        System.out.flush();
    }
}
