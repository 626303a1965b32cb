/**
 * The vocabulary shared by every layer: {@link dev.parley.protocol.Opcode}, {@link
 * dev.parley.protocol.CloseStatus}, {@link dev.parley.protocol.Role}, {@link
 * dev.parley.protocol.Limits}, the {@link dev.parley.protocol.Event} records and the {@link
 * dev.parley.protocol.ProtocolViolation} rules.
 */
package dev.parley.protocol;
