/**
 * The twofactor API.
 */
package dev.twofactor;
