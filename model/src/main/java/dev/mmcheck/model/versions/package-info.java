/**
 * Version facts: the features the model distinguishes, each with its commits, first mainline
 * release, stable backports, configuration and how each fact was checked
 * ({@link dev.mmcheck.model.versions.Feature}); releases are derived from them
 * ({@link dev.mmcheck.model.versions.KernelVersion}).
 */
package dev.mmcheck.model.versions;
