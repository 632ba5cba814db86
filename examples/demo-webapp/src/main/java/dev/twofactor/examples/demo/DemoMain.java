package dev.twofactor.examples.demo;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;

/**
 * Starts the demo: {@code [--port N] [--data DIR]}; prints its address and the seeded accounts.
 */
public final class DemoMain {

    private DemoMain() {
    }

    /**
     * @param args {@code --port N} (default 8080), {@code --data DIR} (default {@code ./data})
     * @throws Exception if the application fails to start for another reason than a port in use
     */
    public static void main(String[] args) throws Exception {
        DemoApp.Options options = new DemoApp.Options();
        int port = 8080;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> {
                    port = parsePort(value);
                    options.port(port);
                    i++;
                }
                case "--data" -> {
                    if (value == null) {
                        fail("--data needs a directory");
                    }
                    options.dataDir(Path.of(value));
                    i++;
                }
                default -> fail("Unknown option " + args[i] + ". Usage: [--port N] [--data DIR]");
            }
        }
        DemoApp app;
        try {
            app = DemoApp.start(options);
        } catch (IOException e) {
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                fail("Port " + port + " is already in use. Stop the program using it, or start the demo on"
                        + " another port with --port N (e.g. -Dexec.args=\"--port 8081\").");
            }
            throw e;
        }
        DemoApp started = app;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.close();
            } catch (Exception e) {
                System.err.println("Stopping the demo failed: " + e);
            }
        }));
        StringBuilder banner = new StringBuilder()
                .append("\n  twofactor demo is running: ").append(app.uri()).append("\n\n")
                .append("  Sign in with one of these accounts:\n");
        for (DemoUsers.Seed seed : DemoUsers.SEEDS) {
            banner.append(String.format("    %-6s password %-16s %s%n", seed.id(), seed.password(),
                    seed.administrator() ? "(administrator)" : "(member)"));
        }
        banner.append("\n  Data (database and encryption key): ").append(options.dataDir.toAbsolutePath())
                .append("\n  Press Ctrl+C to stop.\n");
        System.out.println(banner);
        Thread.currentThread().join();
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value == null ? "" : value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        fail("--port needs a number from 1 to 65535");
        return -1;
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
