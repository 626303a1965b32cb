/**
 * The hub's server side: {@code Hub}, its configuration, hooks, and the values that travel on the
 * wire (publications, positions, client info, error and disconnect codes).
 */
package dev.parley.hub;
