package dev.twofactor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.twofactor.testing.MidstateReport;

/**
 * Which HMAC path twofactor takes in a JVM as an application starts it, on the class path and on the module path,
 * with and without {@code --add-opens}: each case is a JVM of its own running {@link MidstateReport}.
 */
class MidstatePathTest {

    private static final String NOT_OPEN_ON_CLASS_PATH = "java.base does not open sun.security.provider to twofactor "
            + "on the class path (--add-opens java.base/sun.security.provider=ALL-UNNAMED)";
    private static final String NOT_OPEN_ON_MODULE_PATH = "java.base does not open sun.security.provider to "
            + "dev.twofactor (--add-opens java.base/sun.security.provider=dev.twofactor)";
    private static final String SHA512 = "HMAC-SHA-512 always runs over MessageDigest (the JDK keeps its state in "
            + "64-bit words)";

    @Test
    void classPathWithoutAddOpensThenMessageDigestWithTheReasonLoggedOnceAndTheSameCodes() throws Exception {
        Run run = run(List.of("-cp", IsolatedCore.classPathArgument()));

        assertThat(run.report).containsExactly(
                "SHA1 false " + code("SHA1") + " " + NOT_OPEN_ON_CLASS_PATH,
                "SHA256 false " + code("SHA256") + " " + NOT_OPEN_ON_CLASS_PATH,
                "SHA512 false " + code("SHA512") + " " + SHA512);
        assertThat(run.log).containsExactly("INFO dev.twofactor.midstates - HMAC runs over MessageDigest, without "
                + "per-key midstates: " + NOT_OPEN_ON_CLASS_PATH);
    }

    @Test
    void modulePathWithoutAddOpensThenMessageDigestNamingTheModuleToOpen() throws Exception {
        Run run = run(modulePath());

        assertThat(run.report).containsExactly(
                "SHA1 false " + code("SHA1") + " " + NOT_OPEN_ON_MODULE_PATH,
                "SHA256 false " + code("SHA256") + " " + NOT_OPEN_ON_MODULE_PATH,
                "SHA512 false " + code("SHA512") + " " + SHA512);
    }

    @Test
    void modulePathWithAddOpensToTheModuleThenMidstatesAndTheSameCodes() throws Exception {
        List<String> arguments = new ArrayList<>(
                List.of("--add-opens", "java.base/sun.security.provider=dev.twofactor"));
        arguments.addAll(modulePath());
        Run run = run(arguments);

        assertThat(run.report).containsExactly(
                "SHA1 true " + code("SHA1") + " -",
                "SHA256 true " + code("SHA256") + " -",
                "SHA512 false " + code("SHA512") + " " + SHA512);
        assertThat(run.log).isEmpty();
    }

    /** The code {@link MidstateReport} prints, computed by twofactor in this JVM. */
    private static String code(String algorithm) {
        byte[] key = new byte[20];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        return Totp.builder().algorithm(TotpAlgorithm.valueOf(algorithm)).build()
                .generate(TotpSecret.ofBytes(key), 1_234_567L);
    }

    /**
     * twofactor core as a named module, with its dependencies as modules (commons-codec and ZXing as automatic
     * ones); the report program, the test resources and the SLF4J binding stay on the class path.
     */
    static List<String> modulePath() {
        List<Path> modules = new ArrayList<>();
        List<Path> classPath = new ArrayList<>();
        for (Path path : IsolatedCore.classPath()) {
            boolean module = path.equals(location(TotpAlgorithm.class)) || path.equals(location(org.slf4j.Logger.class))
                    || path.equals(location(org.apache.commons.codec.binary.Base32.class));
            (module ? modules : classPath).add(path);
        }
        modules.add(location(com.google.zxing.BarcodeFormat.class));
        return List.of("--module-path", join(modules), "--add-modules", "dev.twofactor", "-cp", join(classPath));
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String join(List<Path> paths) {
        return String.join(java.io.File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    record Run(List<String> report, List<String> log) {
    }

    private static Run run(List<String> jvmArguments) throws IOException, InterruptedException {
        return run(jvmArguments, MidstateReport.class);
    }

    /** Runs a program's {@code main} in a JVM of its own with these arguments: what it prints and what it logs. */
    static Run run(List<String> jvmArguments, Class<?> program) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmArguments);
        command.add(program.getName());
        Path err = Files.createTempFile("midstate-report", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<String> log = Files.readAllLines(err, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit status; stderr: %s", log).isZero();
            return new Run(out.lines().toList(), log);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
