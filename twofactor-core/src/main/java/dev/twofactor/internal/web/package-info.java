/**
 * Helpers shared by the web integrations (the servlet filter and the Spring Security integration) that need no
 * container: the bounded-age facts a session keeps about its user's requirement ({@link
 * dev.twofactor.internal.web.RequirementFacts}), kept in a session attribute through {@link
 * dev.twofactor.internal.web.SessionAttributeHolder}, JSON string quoting ({@link
 * dev.twofactor.internal.web.JsonText}), and the device cookie's rules ({@link
 * dev.twofactor.internal.web.DeviceCookieRules}).
 * Exported only to those two modules (a qualified export): nothing here is API, and it may change in any release.
 */
package dev.twofactor.internal.web;
