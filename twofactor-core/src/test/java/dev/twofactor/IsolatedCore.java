package dev.twofactor;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * twofactor's core classes loaded anew, as a web application's class loader would load them from its own jars: a
 * {@link URLClassLoader} over core's classes and its logging, whose parent is the platform loader, so that nothing of
 * twofactor comes from the test's own class loader. Used through reflection, by the names of the public API.
 */
final class IsolatedCore implements AutoCloseable {

    private final URLClassLoader loader;

    private IsolatedCore(URLClassLoader loader) {
        this.loader = loader;
    }

    /**
     * Loads the classes anew. Static initialisation, and so the system properties twofactor reads then, happens in
     * the new loader on first use.
     */
    static IsolatedCore load() {
        List<URL> urls = new ArrayList<>();
        for (Path path : classPath()) {
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return new IsolatedCore(new URLClassLoader("isolated-twofactor", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader()));
    }

    /**
     * The class path of a JVM that runs twofactor's core: its classes, commons-codec, SLF4J with the simple binding,
     * and the test resources (for {@code simplelogger.properties}).
     */
    static List<Path> classPath() {
        List<Path> paths = new ArrayList<>();
        for (Class<?> type : List.of(TotpAlgorithm.class, org.apache.commons.codec.binary.Base32.class,
                org.slf4j.LoggerFactory.class, org.slf4j.simple.SimpleLogger.class, IsolatedCore.class)) {
            try {
                Path path = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!paths.contains(path)) {
                    paths.add(path);
                }
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return paths;
    }

    /** {@link #classPath()} as a {@code -cp} argument. */
    static String classPathArgument() {
        return String.join(File.pathSeparator, classPath().stream().map(Path::toString).toList());
    }

    ClassLoader loader() {
        return loader;
    }

    /** {@code TotpAlgorithm.valueOf(algorithm).midstateHmac()} in the loader. */
    boolean midstateHmac(String algorithm) {
        return (Boolean) invoke(algorithm(algorithm), "midstateHmac");
    }

    /** {@code TotpAlgorithm.valueOf(algorithm).midstateUnavailableReason()} in the loader. */
    Optional<String> midstateUnavailableReason(String algorithm) {
        return ((Optional<?>) invoke(algorithm(algorithm), "midstateUnavailableReason")).map(String.class::cast);
    }

    /** {@code Totp.builder().algorithm(algorithm).build().generate(TotpSecret.ofBytes(key), step)} in the loader. */
    String generate(String algorithm, byte[] key, long step) {
        Object builder = invokeStatic("dev.twofactor.Totp", "builder");
        invoke(builder, "algorithm", algorithm(algorithm));
        Object totp = invoke(builder, "build");
        Object secret = invokeStatic("dev.twofactor.TotpSecret", "ofBytes", (Object) key);
        return (String) invoke(totp, "generate", secret, step);
    }

    /** {@code Totp.builder().algorithm(algorithm).build().verifyKeyAtStep(key, code, step).matched()} in the loader. */
    boolean verifyKeyAtStep(String algorithm, byte[] key, String code, long step) {
        Object builder = invokeStatic("dev.twofactor.Totp", "builder");
        invoke(builder, "algorithm", algorithm(algorithm));
        Object totp = invoke(builder, "build");
        return (Boolean) invoke(invoke(totp, "verifyKeyAtStep", key, code, step), "matched");
    }

    /** {@code verifyBase32(base32, code).matched()} of an engine in the loader whose clock is fixed at {@code now}. */
    boolean verifyBase32At(String algorithm, String base32, String code, java.time.Instant now) {
        Object builder = invokeStatic("dev.twofactor.Totp", "builder");
        invoke(builder, "algorithm", algorithm(algorithm));
        invoke(builder, "clock", java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
        Object totp = invoke(builder, "build");
        return (Boolean) invoke(invoke(totp, "verifyBase32", base32, code), "matched");
    }

    /** {@code SecretCipher.aesGcm(KeyRing.builder().primaryKey(keyId, key).build())} in the loader. */
    Object aesGcm(String keyId, byte[] key) {
        Object builder = invokeStatic("dev.twofactor.KeyRing", "builder");
        invoke(builder, "primaryKey", keyId, key);
        return invokeStatic("dev.twofactor.SecretCipher", "aesGcm", invoke(builder, "build"));
    }

    /** {@code cipher.seal(userId, secret).sealed()} of a cipher from {@link #aesGcm}. */
    byte[] seal(Object cipher, String userId, byte[] secret) {
        return (byte[]) invoke(invokeAccessible(cipher, "seal", userId, secret), "sealed");
    }

    /**
     * {@code cipher.open(userId, new EncryptedSecret(keyId, sealed))} of a cipher from {@link #aesGcm}; what it throws
     * comes as the cause of an {@link IllegalStateException}.
     */
    byte[] open(Object cipher, String userId, String keyId, byte[] sealed) {
        try {
            Object record = loader.loadClass("dev.twofactor.spi.EncryptedSecret")
                    .getConstructor(String.class, byte[].class).newInstance(keyId, sealed);
            return (byte[]) invokeAccessible(cipher, "open", userId, record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The package-private {@code AesGcmSecretCipher.fastOpenUnavailableReason(keyId)} of an {@link #aesGcm}. */
    String fastOpenUnavailableReason(Object cipher, String keyId) {
        return (String) invokeAccessible(cipher, "fastOpenUnavailableReason", keyId);
    }

    /** Calls a method declared by the object's (package-private) class, whatever its access. */
    private static Object invokeAccessible(Object target, String name, Object... arguments) {
        for (Method method : target.getClass().getDeclaredMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                try {
                    method.setAccessible(true);
                    return method.invoke(target, arguments);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        throw new IllegalStateException("No method " + name + " in " + target.getClass().getName());
    }

    private Object algorithm(String name) {
        return invokeStatic("dev.twofactor.TotpAlgorithm", "valueOf", name);
    }

    private Object invokeStatic(String className, String method, Object... arguments) {
        try {
            return call(loader.loadClass(className), null, method, arguments);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object invoke(Object target, String method, Object... arguments) {
        return call(target.getClass(), target, method, arguments);
    }

    private static Object call(Class<?> type, Object target, String name, Object... arguments) {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                try {
                    return method.invoke(target, arguments);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        throw new IllegalStateException("No method " + name + " in " + type.getName());
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
