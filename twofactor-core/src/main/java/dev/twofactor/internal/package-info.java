/**
 * Implementation helpers of the twofactor API. This package is not exported from module {@code dev.twofactor}:
 * nothing here is API, and it may change in any release.
 *
 * <p>Each concern that matters for security lives in exactly one class, so that it is reviewed once and cannot drift
 * between call sites: the random source ({@link dev.twofactor.internal.Randomness}), Base32
 * ({@link dev.twofactor.internal.Base32Text}), constant-time comparison ({@link dev.twofactor.internal.ConstantTime}),
 * the HMAC and HOTP core ({@link dev.twofactor.internal.Hotp}) and RFC 3986 percent-encoding
 * ({@link dev.twofactor.internal.PercentEncoding}).
 */
package dev.twofactor.internal;
